import type { StreamStore } from '../../sdk/index';
import { TcpProxy } from '../../test-support/tcp-proxy';
import type { Context } from '../context';
import { stream } from '../stream-definition';
import { connectClient, startServer, track, waitFor } from './harness';

export interface Todo {
  id: number;
  text: string;
}

/**
 * A todo app whose server-side truth the tests compare the client stores against. With
 * `holdLoads`, every load takes its snapshot, then waits for `releaseLoads()`; `loadRunning`
 * resolves once one is waiting, so a test can act while a loader is provably running.
 */
export function todoApp(options: { holdLoads?: boolean } = {}) {
  const truth: Todo[] = [];
  let nextId = 1;
  let loadStarted!: () => void;
  const loadRunning = new Promise<void>((resolve) => (loadStarted = resolve));
  let releaseLoads!: () => void;
  const released = new Promise<void>((resolve) => (releaseLoads = resolve));
  const api = {
    todos: {
      list: stream('todos', async () => {
        const snapshot = truth.map((todo) => ({ ...todo }));
        if (options.holdLoads) {
          loadStarted();
          await released;
        }
        return snapshot;
      }),
      add: (ctx: Context, text: string) => {
        const todo = { id: nextId++, text };
        truth.push(todo);
        ctx.publish('todos', 'created', todo);
        return todo;
      },
    },
  };
  const addOnServer = (server: { publish: Context['publish'] }, text: string) => {
    const todo = { id: nextId++, text };
    truth.push(todo);
    server.publish('todos', 'created', todo);
  };
  return { api, truth, addOnServer, loadRunning, releaseLoads };
}

/** A shim behind a fault-injecting proxy, and a client of it with the todo stream open and loaded. */
export async function todosThroughProxy(app: ReturnType<typeof todoApp>, options: Parameters<typeof startServer>[0] = {}) {
  const server = await startServer({ api: app.api, ...options });
  const proxy = track(new TcpProxy(server.port!));
  await proxy.listen();
  const client = connectClient(`ws://127.0.0.1:${proxy.port}/ws`);
  const todos = client.stream<Todo[]>('todos/list');
  const until = watch(todos);
  await until((value) => value !== undefined);
  return { server, proxy, client, todos, until };
}

/** Keeps a store mounted for the test and resolves when its value satisfies `check`. */
export function watch<T>(store: StreamStore<T>) {
  const stop = store.subscribe(() => {});
  track({ close: stop });
  return (check: (value: T | undefined) => boolean, timeoutMs = 5000) => waitFor(() => check(store.get()), timeoutMs);
}
