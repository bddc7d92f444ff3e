import type { ServerInit } from '@sveltejs/kit';
import { live } from '$lib/server/live';

// The shim starts with the SvelteKit server, before the first request.
export const init: ServerInit = async () => {
  await live();
};
