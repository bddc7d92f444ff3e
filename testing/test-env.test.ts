import { afterEach, expect, it } from 'vitest';
import { stream, type Context } from '../server-shim/index';
import { createTestEnv, type TestEnv } from './test-env';

interface Todo {
  id: number;
  text: string;
  by: string;
}

function todoApi() {
  const todos: Todo[] = [];
  return {
    todos: {
      list: stream('todos', () => todos, { merge: 'crud', key: 'id' }),
      add(ctx: Context<{ id: string }>, text: string): Todo {
        const todo = { id: todos.length + 1, text, by: ctx.user.id };
        todos.push(todo);
        ctx.publish('todos', 'created', todo);
        return todo;
      },
    },
  };
}
type Api = ReturnType<typeof todoApi>;

let env: TestEnv<Api> | undefined;
afterEach(async () => env?.close());

it('runs a server API against real clients: users, calls, streams with real merges, a reconnect, server publishes', async () => {
  env = await createTestEnv<Api>({ api: todoApi() });
  const ada = env.connect({ id: 'ada' });
  const bob = env.connect({ id: 'bob' });
  expect(await ada.client.call('todos/add', 'milk')).toEqual({ id: 1, text: 'milk', by: 'ada' });

  const bobsTodos = bob.client.stream('todos/list');
  const stop = bobsTodos.subscribe(() => {});
  await env.until(() => bobsTodos.status.get() === 'live');
  expect(bobsTodos.get()).toEqual([{ id: 1, text: 'milk', by: 'ada' }]);

  await bob.disconnect();
  await ada.client.call('todos/add', 'eggs'); // while bob is away
  env.publish('todos', 'updated', { id: 1, text: 'oat milk', by: 'ada' });
  await bob.reconnect();
  await env.until(() => bobsTodos.get()?.length === 2 && bobsTodos.status.get() === 'live');
  expect(bobsTodos.get()).toEqual([
    { id: 1, text: 'oat milk', by: 'ada' },
    { id: 2, text: 'eggs', by: 'ada' },
  ]);
  expect(bobsTodos.lastSync.get()).toBe('recovered'); // resumed from the replay buffer
  stop();
});
