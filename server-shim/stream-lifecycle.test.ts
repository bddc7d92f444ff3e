import { afterEach, describe, expect, it } from 'vitest';
import type { PersistedStream, StreamStorage } from '../sdk/stream-persistence';
import { closeAll, connectClient, startServer, track, waitFor } from './test-support/harness';
import { todoApp, watch, type Todo } from './test-support/todo-app';

afterEach(closeAll);

describe('stream stores before and after a connection: SSR, persistence, raw events', () => {
  it('hydrates from server.loadStream (SSR) with no loading state, then resumes from that position', async () => {
    const { api, truth, addOnServer } = todoApp();
    const server = await startServer({ api });
    addOnServer(server, 'rendered on the server');
    const loaded = await server.loadStream('todos/list', { user: undefined });
    addOnServer(server, 'published after the render');
    const client = connectClient(server.url);
    const todos = client.stream<Todo[]>('todos/list');
    todos.hydrate(loaded as never);
    expect(todos.get()).toEqual([truth[0]]);
    const until = watch(todos);
    await until((value) => value?.length === 2);
    expect(todos.get()).toEqual(truth);
    expect(todos.lastSync.get()).toBe('recovered');
  });

  it('resumes after SSR on a quiet topic too: the load keeps the position resumable for the page to subscribe', async () => {
    const { api } = todoApp();
    const server = await startServer({ api });
    // Nothing published, nobody subscribed: without the hold the topic's state would be freed
    // as the load ends, and the browser would find a new epoch and load everything again.
    const loaded = await server.loadStream('todos/list', { user: undefined });
    expect(server.memory.topics).toBe(1);
    const client = connectClient(server.url);
    const todos = client.stream<Todo[]>('todos/list');
    todos.hydrate(loaded as never);
    track({ close: todos.subscribe(() => {}) });
    await waitFor(() => todos.status.get() === 'live');
    expect(todos.lastSync.get()).toBe('recovered');
  });

  it('with persist, a new client shows the stored data before its socket opens, then resumes', async () => {
    const { api, truth, addOnServer } = todoApp();
    const server = await startServer({ api });
    addOnServer(server, 'persisted');
    const saved = new Map<string, PersistedStream>();
    const storage: StreamStorage = {
      get: async (key) => saved.get(key),
      set: async (key, value) => void saved.set(key, structuredClone(value)),
    };
    const first = connectClient(server.url, { streamStorage: storage });
    const firstTodos = first.streamWith<Todo[]>({ persist: true }, 'todos/list');
    const stop = firstTodos.subscribe(() => {});
    await waitFor(() => firstTodos.get()?.length === 1);
    stop(); // unmount writes the latest state
    await waitFor(() => saved.size === 1);
    first.close();
    addOnServer(server, 'while the tab was closed');

    const second = connectClient(server.url, { streamStorage: storage });
    const todos = second.streamWith<Todo[]>({ persist: true }, 'todos/list');
    const values: Array<readonly Todo[] | undefined> = [];
    track({ close: todos.subscribe((value) => values.push(value)) });
    await waitFor(() => values.some((value) => value?.length === 1));
    await waitFor(() => todos.get()?.length === 2);
    expect(todos.get()).toEqual(truth);
    expect(todos.lastSync.get()).toBe('recovered');
  });

  it('serves raw events through client.on, filtered by event name', async () => {
    const server = await startServer();
    const client = connectClient(server.url);
    const pings = client.on('system', 'ping');
    track({ close: pings.subscribe(() => {}) });
    await waitFor(() => server.memory.topics === 1); // the subscription is in effect on the server
    server.publish('system', 'pong', 1);
    server.publish('system', 'ping', 2);
    await waitFor(() => pings.get()?.data === 2);
    expect(pings.get()).toMatchObject({ topic: 'system', event: 'ping', data: 2 });
  });
});
