import { describe, expectTypeOf, it } from 'vitest';
import type { Context } from '../server-shim/context';
import type { Client } from './client';

// The server's API object, as a user would write it.
const api = {
  todos: {
    add: async (_ctx: Context<{ id: string }>, text: string, done?: boolean) => ({ id: 1, text, done: done ?? false }),
    list: (_ctx: Context) => [{ id: 1, text: 'milk' }],
  },
  ping: () => 'pong' as const,
};

describe('typed calls from the server API type', () => {
  it('types paths, arguments and results with no code generation', () => {
    const client = { call: () => Promise.resolve() } as unknown as Client<typeof api>;
    expectTypeOf(client.call('todos/add', 'milk')).resolves.toEqualTypeOf<{ id: number; text: string; done: boolean }>();
    expectTypeOf(client.call('todos/list')).resolves.toEqualTypeOf<{ id: number; text: string }[]>();
    expectTypeOf(client.call('ping')).resolves.toEqualTypeOf<'pong'>();
    // @ts-expect-error: unknown path
    void client.call('todos/remove');
    // @ts-expect-error: wrong argument type
    void client.call('todos/add', 42);
    // @ts-expect-error: missing argument
    void client.call('todos/add');
  });

  it('accepts any path and returns unknown when untyped (CDN use)', () => {
    const client = { call: () => Promise.resolve() } as unknown as Client;
    expectTypeOf(client.call('anything/at/all', 1, 'two')).resolves.toEqualTypeOf<unknown>();
  });
});
