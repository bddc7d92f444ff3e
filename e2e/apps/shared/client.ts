// The client every fixture app uses, typed from the server API, on the socket URL the test gives.
import { createClient } from 'wirestore';
import type { FrameworkApi } from './api';

const socketUrl = new URLSearchParams(location.search).get('ws') ?? undefined;
// `devtools`: in a development build Ctrl+Shift+L opens the overlay; production builds drop it.
export const client = createClient<FrameworkApi>({ url: socketUrl, reconnect: { baseMs: 50, capMs: 500 }, devtools: true });
export const todos = client.stream('todos/list');
