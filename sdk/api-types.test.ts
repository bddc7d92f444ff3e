import { describe, expectTypeOf, it } from 'vitest';
import type { Context } from '../server-shim/context';
import { stream } from '../server-shim/stream-definition';
import type { Client } from './client';
import type { StreamStore } from './stream-store';

// The server's API object, as a user would write it (only its type is used here).
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const api = {
  todos: {
    add: async (_ctx: Context<{ id: string }>, text: string, done?: boolean) => ({ id: 1, text, done: done ?? false }),
    list: (_ctx: Context) => [{ id: 1, text: 'milk' }],
  },
  ping: () => 'pong' as const,
  feed: stream(
    (_ctx, room: string) => `feed:${room}`,
    async (_ctx, room: string) => [{ room, text: 'hi' }],
  ),
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

  it('types stream paths, their arguments and values', () => {
    const client = { stream: () => ({}), call: () => Promise.resolve() } as unknown as Client<typeof api>;
    expectTypeOf(client.stream('feed', 'lobby')).toEqualTypeOf<StreamStore<{ room: string; text: string }[]>>();
    // @ts-expect-error: a stream's argument of the wrong type
    void client.stream('feed', 1);
    // @ts-expect-error: an RPC path is not a stream
    void client.stream('ping');
    // @ts-expect-error: a stream is not callable
    void client.call('feed');
  });

  it('accepts any path and returns unknown when untyped (CDN use)', () => {
    const client = { call: () => Promise.resolve() } as unknown as Client;
    expectTypeOf(client.call('anything/at/all', 1, 'two')).resolves.toEqualTypeOf<unknown>();
  });
});
