import { live } from '$lib/server/live';
import type { PageServerLoad } from './$types';

// The first page of the stream, with the position it reflects: the page renders it, and the
// browser's store resumes from that position instead of loading again.
export const load: PageServerLoad = async ({ locals }) => {
  const server = await live();
  return { todos: await server.loadStream('todos/list', { user: (locals as { user?: unknown }).user }) };
};
