import { afterEach, expect, it } from 'vitest';
import type { EventEnvelope } from '../../protocol/frames';
import { useRedis } from '../../test-support/redis';
import { closeAll, connectClient, startServer, track, waitFor } from '../test-support/harness';
import { todoApp, watch } from '../test-support/todo-app';
import type { ServerOptions } from '../options';
import { redisPublisher } from './publisher';
import { redisEngine } from './redis-engine';

// Two shim processes' worth of servers on one real redis-server: what one publishes, the other's
// clients get with the same seq; a client resumes on the other; Redis losing data rotates epochs.

const { redis } = useRedis();
afterEach(closeAll);

let prefixCounter = 0;
/** Servers of one cluster: one Redis, one key prefix per test so tests do not see each other's topics. */
function cluster() {
  const prefix = `t${++prefixCounter}:`;
  const start = <User>(options: ServerOptions<User> = {}) =>
    startServer<User>({ ...options, engine: redisEngine({ url: redis.url, prefix }) });
  return Object.assign(start, { prefix });
}

function collect(client: ReturnType<typeof connectClient>, topic: string) {
  const events: EventEnvelope[] = [];
  client.subscribe(topic, (event) => events.push(event));
  return events;
}

it('sequences every publish once for the whole cluster: each process’s clients see the same seqs', async () => {
  const start = cluster();
  const [a, b] = [await start(), await start()];
  const onA = connectClient(a.url);
  const onB = connectClient(b.url);
  const [seenOnA, seenOnB] = [collect(onA, 'chat'), collect(onB, 'chat')];
  // Both subscribed once both hear a publish (events before a subscription are not its business).
  await waitFor(() => {
    void a.publishConfirmed('chat', 'warm-up', null);
    return seenOnA.length > 0 && seenOnB.length > 0;
  });
  for (let i = 0; i < 20; i++) (i % 2 ? a : b).publish('chat', 'message', { i });
  await b.publishConfirmed('chat', 'message', { i: 20 });
  const messages = (events: EventEnvelope[]) => events.filter((event) => event.event === 'message');
  await waitFor(() => messages(seenOnA).length === 21 && messages(seenOnB).length === 21);
  // One seq space: every event each client saw, in order, contiguous, and the same on both processes
  // from where both were subscribed.
  for (const seen of [seenOnA, seenOnB]) {
    const seqs = seen.map((event) => event.seq!);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
  }
  const bothFrom = Math.max(seenOnA[0]!.seq!, seenOnB[0]!.seq!);
  expect(seenOnB.filter((event) => event.seq! >= bothFrom)).toEqual(seenOnA.filter((event) => event.seq! >= bothFrom));
});

it('a client that loses its process resumes on another from its position: no gap, no duplicate, no reload', async () => {
  const start = cluster();
  const { api, addOnServer } = todoApp();
  const [a, b] = [await start({ api }), await start({ api })];
  let target = a.url;
  const client = connectClient<typeof api>(() => target);
  const todos = client.stream('todos/list');
  const until = watch(todos);
  const syncs: string[] = [];
  todos.lastSync.listen((outcome) => syncs.push(String(outcome)));
  addOnServer(a, 'milk');
  await until((value) => value?.length === 1);
  expect(todos.lastSync.get()).toBe('loaded');

  target = b.url;
  await a.close({ drainTimeoutMs: 0 });
  addOnServer(b, 'eggs'); // published while the client is between processes
  await until((value) => value?.length === 2);
  await waitFor(() => todos.lastSync.get() === 'recovered');
  addOnServer(b, 'bread');
  await until((value) => value?.length === 3);
  expect(todos.get()!.map((todo) => todo.text)).toEqual(['milk', 'eggs', 'bread']);
  expect(syncs).not.toContain('reloaded');
});

it('Redis restarting without its data rotates the epoch: clients reload, none is told it recovered', async () => {
  const start = cluster();
  const { api, addOnServer, truth } = todoApp();
  const server = await start({ api });
  const client = connectClient<typeof api>(server.url);
  const todos = client.stream('todos/list');
  const until = watch(todos);
  const syncs: string[] = [];
  todos.lastSync.listen((outcome) => syncs.push(String(outcome)));
  addOnServer(server, 'milk');
  await until((value) => value?.length === 1);

  await redis.restart(); // no persistence: every topic's seq and history are gone
  await waitFor(() => server.pressure.reason === 'NONE', 10_000);
  addOnServer(server, 'eggs');
  await waitFor(() => todos.get()?.length === 2, 10_000);
  expect(todos.get()).toEqual(truth);
  expect(todos.lastSync.get()).toBe('reloaded');
  expect(syncs).not.toContain('recovered');
});

it('Redis unreachable: a confirmed publish rejects with UNAVAILABLE, clients see ENGINE pressure, and all resumes when it returns', async () => {
  const start = cluster();
  const server = await start();
  const client = connectClient(server.url);
  const events = collect(client, 'news');
  await waitFor(() => server.memory.topics === 1);
  await redis.kill();
  await waitFor(() => server.pressure.reason === 'ENGINE');
  await expect(server.publishConfirmed('news', 'flash', 1)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  await waitFor(() => client.pressure.get().reason === 'ENGINE');
  await redis.start();
  await waitFor(() => server.pressure.reason === 'NONE', 10_000);
  await server.publishConfirmed('news', 'flash', 2);
  await waitFor(() => events.length === 1, 10_000);
  expect(events[0]!.data).toBe(2);
});

it('presence lists a user once across processes and tabs, and they leave with their last connection anywhere', async () => {
  const start = cluster();
  const options = {
    authenticate: ({ query }: { query: string }) => ({
      id: new URLSearchParams(query).get('user')!,
      name: new URLSearchParams(query).get('user')!,
    }),
    presence: { topics: () => true, select: (user: { name: string }) => ({ name: user.name }), leaveGraceMs: 0 },
  };
  const [a, b] = [await start(options), await start(options)];
  const adaOnA = connectClient(`${a.url}?user=ada`);
  const adaOnB = connectClient(`${b.url}?user=ada`);
  const bobOnB = connectClient(`${b.url}?user=bob`);
  const seenByBob = bobOnB.presence('room');
  const names = () => (seenByBob.get() ?? []).map((entry) => entry.name).sort();

  adaOnA.presence('room').listen(() => {});
  await waitFor(() => names().join() === 'ada,bob');
  adaOnB.presence('room').listen(() => {});
  await waitFor(() => b.memory.topics >= 2);
  expect(names()).toEqual(['ada', 'bob']); // ada twice, listed once
  const adaKeys = new Set(
    [adaOnA, adaOnB].map(
      (client) =>
        client
          .presence('room')
          .get()
          ?.find((entry) => entry.name === 'ada')?.key,
    ),
  );
  expect(adaKeys.size).toBe(1); // the same opaque key, whichever process she is seen through

  adaOnA.close();
  await waitFor(() => a.connectionCount === 0);
  expect(names()).toEqual(['ada', 'bob']); // still on b
  adaOnB.close();
  await waitFor(() => names().join() === 'bob');
});

it('a worker’s redisPublisher sequences its events like a server’s publish, and fails clearly without Redis', async () => {
  const start = cluster();
  const server = await start();
  const client = connectClient(server.url);
  const events = collect(client, 'orders');
  const worker = track(await redisPublisher({ url: redis.url, prefix: start.prefix }));
  await waitFor(() => {
    void worker.publish('orders', 'warm-up', null);
    return events.length > 0;
  });
  const seq = await worker.publish('orders', 'shipped', { id: 7 });
  expect(await server.publishConfirmed('orders', 'paid', { id: 8 })).toBe(seq + 1);
  await waitFor(() => events.some((event) => event.event === 'paid'));
  expect(events.filter((event) => event.seq! >= seq).map((event) => [event.seq, event.event])).toEqual([
    [seq, 'shipped'],
    [seq + 1, 'paid'],
  ]);
  expect(() => worker.publish('orders', 'bad', { big: 1n })).toThrow(/INVALID_REQUEST|could not|BigInt/i);
});

it('a publish id makes a retry on any process, or from a worker, a no-op that returns the first seq', async () => {
  const start = cluster();
  const [a, b] = [await start(), await start()];
  const client = connectClient(a.url);
  const events = collect(client, 'orders');
  await waitFor(() => a.memory.topics === 1);
  const first = await a.publishConfirmed('orders', 'shipped', { order: 7 }, { id: 'order-7-shipped' });
  expect(await b.publishConfirmed('orders', 'shipped', { order: 7 }, { id: 'order-7-shipped' })).toBe(first);
  const worker = track(await redisPublisher({ url: redis.url, prefix: start.prefix }));
  expect(await worker.publish('orders', 'shipped', { order: 7 }, { id: 'order-7-shipped' })).toBe(first);
  const next = await worker.publish('orders', 'shipped', { order: 8 }, { id: 'order-8-shipped' });
  expect(next).toBe(first! + 1);
  await waitFor(() => events.some((event) => event.seq === next));
  expect(events.filter((event) => event.event === 'shipped').map((event) => event.seq)).toEqual([first, next]);
});

it('a page rendered by one process (SSR) resumes on another from the rendered position', async () => {
  const start = cluster();
  const { api, truth, addOnServer } = todoApp();
  const [renderer, live] = [await start({ api }), await start({ api })];
  addOnServer(renderer, 'rendered on the server');
  const loaded = await renderer.loadStream('todos/list', { user: undefined });
  addOnServer(renderer, 'published after the render');
  const client = connectClient<typeof api>(live.url); // the browser reaches the other process
  const todos = client.stream('todos/list');
  todos.hydrate(loaded as never);
  const until = watch(todos);
  await until((value) => value?.length === 2);
  expect(todos.get()).toEqual(truth);
  expect(todos.lastSync.get()).toBe('recovered');
});
