import { afterEach, describe, expect, it, vi } from 'vitest';
import { TcpProxy } from '../test-support/tcp-proxy';
import { LiveError } from './live-error';
import { channel, stream } from './stream-definition';
import { closeAll, connectClient, startServer, track, waitFor } from './test-support/harness';
import { todoApp, todosThroughProxy, watch, type Todo } from './test-support/todo-app';

afterEach(closeAll);

describe('stream stores against a real shim', () => {
  it('loads the data, then folds in live events; undefined only while loading', async () => {
    const { api, truth, addOnServer } = todoApp();
    const server = await startServer({ api });
    addOnServer(server, 'milk');
    const client = connectClient<typeof api>(server.url);
    const todos = client.stream('todos/list'); // typed from the API: StreamStore<Todo[]>
    expect(todos.get()).toBeUndefined();
    expect(todos.status.get()).toBe('loading');
    const until = watch(todos);
    await until((value) => value?.length === 1);
    expect(todos.lastSync.get()).toBe('loaded');
    await client.call('todos/add', 'eggs');
    addOnServer(server, 'bread');
    await until((value) => value?.length === 3);
    expect(todos.get()).toEqual(truth);
    expect(todos.status.get()).toBe('live');
  });

  it('returns the same store for the same arguments in a browser, and a store per call during SSR', async () => {
    const { api } = todoApp();
    const server = await startServer({ api });
    const client = connectClient(server.url);
    // SSR (no window): one client serves every request, so no request may get another's store.
    const forAlice = client.stream<Todo[]>('todos/list');
    forAlice.hydrate([{ id: 1, text: "alice's private todo" }]);
    const forBob = client.stream<Todo[]>('todos/list');
    expect(forBob).not.toBe(forAlice);
    expect(forBob.get()).toBeUndefined();
    vi.stubGlobal('window', {}); // a browser: one store per path and arguments
    try {
      expect(client.stream('todos/list')).toBe(client.stream('todos/list'));
    } finally {
      vi.unstubAllGlobals();
    }
    expect(client.stream('todos/list', 1)).not.toBe(client.stream('todos/list', 2));
  });

  it('delivers events published during a slow load after the data, none lost (load-subscribe race)', async () => {
    const { api, truth, addOnServer, loadRunning, releaseLoads } = todoApp({ holdLoads: true });
    const server = await startServer({ api });
    addOnServer(server, 'before');
    const client = connectClient(server.url);
    const todos = client.stream<Todo[]>('todos/list');
    const until = watch(todos);
    await loadRunning; // the loader has taken its snapshot and is still running: the race is on
    addOnServer(server, 'during 1');
    addOnServer(server, 'during 2');
    releaseLoads();
    await until((value) => value !== undefined);
    expect(todos.get()).toEqual(truth);
    expect(todos.get()!.map((todo) => todo.text)).toEqual(['before', 'during 1', 'during 2']);
  });

  it('cuts off a consumer that cannot keep up, which reconnects and resumes with nothing lost', async () => {
    const app = todoApp();
    const { truth, addOnServer } = app;
    const { server, proxy, client, todos, until } = await todosThroughProxy(app, {
      maxBackpressureBytes: 16 * 1024,
      replay: { maxEvents: 20_000, maxTopicBytes: 64 * 1024 * 1024 },
    });
    const closeCodes: number[] = [];
    const stop = client.status.subscribe((status) => status.state === 'reconnecting' && closeCodes.push(status.code));
    track({ close: stop });
    proxy.stall();
    // Far more than the kernel buffers plus the 16 KiB limit hold, over several sweeps of the watchdog.
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 1000; i++) addOnServer(server, `bulk ${round}.${i} ${'x'.repeat(1000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    proxy.resume();
    addOnServer(server, 'after the stall');
    await until((value) => value?.length === truth.length, 10_000);
    expect(todos.get()).toEqual(truth);
    // The watchdog cut it (uWS's own hard cap sits far above the limit).
    expect(closeCodes).toContain(4008);
    expect(todos.lastSync.get()).toBe('recovered');
  });

  it('resumes from the replay buffer after the connection is cut while events are published', async () => {
    const app = todoApp();
    const { truth, addOnServer } = app;
    const { server, proxy, client, todos, until } = await todosThroughProxy(app);
    for (let round = 0; round < 5; round++) {
      addOnServer(server, `round ${round} a`);
      proxy.cutAll();
      addOnServer(server, `round ${round} b`);
      await until(() => client.status.get().state === 'open' && todos.get()?.length === truth.length);
    }
    expect(todos.get()).toEqual(truth);
    expect(new Set(todos.get()!.map((todo) => todo.id)).size).toBe(truth.length);
    expect(todos.lastSync.get()).toBe('recovered');
  });

  it('reloads in full after a server restart (new epoch), showing the old data meanwhile', async () => {
    const { api, truth, addOnServer } = todoApp();
    const first = await startServer({ api });
    const proxy = track(new TcpProxy(first.port!));
    await proxy.listen();
    addOnServer(first, 'one');
    const client = connectClient(`ws://127.0.0.1:${proxy.port}/ws`);
    const todos = client.stream<Todo[]>('todos/list');
    const seen: Array<readonly Todo[] | undefined> = [];
    track({ close: todos.subscribe((value) => seen.push(value)) });
    await waitFor(() => todos.get()?.length === 1);
    await first.close();
    truth.push({ id: 99, text: 'written while down' });
    const second = await startServer({ api });
    proxy.retarget(second.port!);
    await waitFor(() => todos.get()?.length === 2);
    expect(todos.get()).toEqual(truth);
    expect(todos.lastSync.get()).toBe('reloaded');
    expect(seen.slice(1).every((value) => value !== undefined)).toBe(true); // never flashed empty
  });

  it('reloads in full when the gap is older than the replay buffer', async () => {
    const app = todoApp();
    const { truth, addOnServer } = app;
    const { server, proxy, todos, until } = await todosThroughProxy(app, { replay: { maxEvents: 3 } });
    proxy.refuse(true);
    proxy.cutAll();
    for (let i = 0; i < 10; i++) addOnServer(server, `offline ${i}`);
    proxy.refuse(false);
    await until((value) => value?.length === 10);
    expect(todos.get()).toEqual(truth);
    expect(todos.lastSync.get()).toBe('reloaded');
  });

  it('reports a denied or failing stream in its error store, never by wiping data', async () => {
    const server = await startServer({
      api: {
        secret: stream('secret', () => ['x']),
        broken: stream('broken', () => {
          throw new LiveError('DB_DOWN', 'the database is unreachable');
        }),
      },
      canSubscribe: (_ctx, topic) => topic !== 'secret' || 'not for you',
    });
    const client = connectClient(server.url);
    const secret = client.stream('secret');
    const broken = client.stream('broken');
    const missing = client.stream('no/such/stream');
    track({ close: secret.subscribe(() => {}) });
    track({ close: broken.subscribe(() => {}) });
    track({ close: missing.subscribe(() => {}) });
    await waitFor(() => secret.status.get() === 'error' && broken.status.get() === 'error' && missing.status.get() === 'error');
    expect(secret.error.get()).toMatchObject({ code: 'FORBIDDEN', message: 'not for you' });
    expect(broken.error.get()).toMatchObject({ code: 'DB_DOWN', message: 'the database is unreachable' });
    expect(missing.error.get()).toMatchObject({ code: 'NOT_FOUND' });
    expect(secret.get()).toBeUndefined();
  });

  it('pages through a loader that returns { data, hasMore, cursor }', async () => {
    const all = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));
    const server = await startServer({
      api: {
        posts: stream('posts', (ctx) => {
          const from = (ctx.cursor as number | undefined) ?? 0;
          return { data: all.slice(from, from + 3), hasMore: from + 3 < all.length, cursor: from + 3 };
        }),
      },
    });
    const client = connectClient(server.url);
    const posts = client.stream<Array<{ id: number }>>('posts');
    const until = watch(posts);
    await until((value) => value?.length === 3);
    expect(posts.hasMore.get()).toBe(true);
    expect(await posts.loadMore()).toBe(true);
    expect(await posts.loadMore()).toBe(true);
    expect(posts.get()).toEqual(all);
    expect(posts.hasMore.get()).toBe(false);
    expect(await posts.loadMore()).toBe(false);
  });

  it('computes per-argument topics, and channels start empty', async () => {
    const server = await startServer({
      api: {
        room: stream(
          (_ctx, roomId: string) => `room:${roomId}`,
          (_ctx, roomId: string) => [{ id: 0, text: `welcome to ${roomId}` }],
          { merge: 'latest', max: 2 },
        ),
        cursors: channel((_ctx, docId: string) => `cursors:${docId}`, { merge: 'cursor' }),
      },
    });
    const client = connectClient(server.url);
    const lobby = client.stream<unknown[]>('room', 'lobby');
    const cursors = client.stream<unknown[]>('cursors', 'doc1');
    const lobbyUntil = watch(lobby);
    const cursorsUntil = watch(cursors);
    await lobbyUntil((value) => value?.length === 1);
    await cursorsUntil((value) => Array.isArray(value));
    server.publish('room:lobby', 'message', { id: 1, text: 'hi' });
    server.publish('room:lobby', 'message', { id: 2, text: 'ho' });
    server.publish('room:other', 'message', { id: 3, text: 'elsewhere' });
    server.publish('cursors:doc1', 'update', { key: 'ada', x: 1 });
    server.publish('cursors:doc1', 'update', { key: 'ada', x: 2 });
    await lobbyUntil((value) => (value?.[1] as { id: number } | undefined)?.id === 2);
    await cursorsUntil((value) => (value?.[0] as { x: number } | undefined)?.x === 2);
    expect(lobby.get()).toEqual([
      { id: 1, text: 'hi' },
      { id: 2, text: 'ho' },
    ]);
    expect(cursors.get()).toEqual([{ key: 'ada', x: 2 }]);
  });
});
