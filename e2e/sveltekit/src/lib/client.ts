import { createClient } from 'wirestore';
import type { Api } from './server/api';

// Safe to create during SSR: nothing touches the network until the browser uses it.
export const client = createClient<Api>();

// Dev: a hot reload of this module closes the old client's socket instead of leaving it open.
if (import.meta.hot) import.meta.hot.dispose(() => client.close());
