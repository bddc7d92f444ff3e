import { afterEach, expect, it } from 'vitest';
import type { EventEnvelope } from '../../protocol/frames';
import { useRedis } from '../../test-support/redis';
import { closeAll, connectClient, startServer, waitFor } from '../test-support/harness';
import { todoApp, watch } from '../test-support/todo-app';
import { redisEngine } from './redis-engine';

// Two shim processes' worth of servers on one real redis-server: what one publishes, the other's
// clients get with the same seq; a client resumes on the other; Redis losing data rotates epochs.

const { redis } = useRedis();
afterEach(closeAll);

let prefixCounter = 0;
/** Servers of one cluster: one Redis, one key prefix per test so tests do not see each other's topics. */
function cluster() {
  const prefix = `t${++prefixCounter}:`;
  return (options: Parameters<typeof startServer>[0] = {}) => startServer({ ...options, engine: redisEngine({ url: redis.url, prefix }) });
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
  await waitFor(() => a.memory.topics === 1 && b.memory.topics === 1);
  for (let i = 0; i < 20; i++) (i % 2 ? a : b).publish('chat', 'message', { i });
  expect(await a.publishConfirmed('chat', 'message', { i: 20 })).toBe(21);
  await waitFor(() => seenOnA.length === 21 && seenOnB.length === 21);
  expect(seenOnA.map((event) => event.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  expect(seenOnB).toEqual(seenOnA);
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
