import { afterEach, expect, it } from 'vitest';
import type { SignalFrame } from '../../protocol/frames';
import { useRedis } from '../../test-support/redis';
import { untilAsync } from '../../test-support/until';
import type { Context } from '../context';
import type { ServerOptions } from '../options';
import { RedisServerUnderTest, freePort } from '../../test-support/redis-server';
import { createServer } from '../server';
import { closeAll, connectClient, quietLogger, startServer, waitFor } from '../test-support/harness';
import { redisEngine, type RedisEngineOptions } from './redis-engine';

// Calls and server pushes across two processes on one real redis-server.

const { redis } = useRedis();
afterEach(closeAll);

let prefixCounter = 0;
type User = { id: string };
function cluster(engineOptions: Omit<RedisEngineOptions, 'url'> = {}) {
  const prefix = `calls${++prefixCounter}:`;
  return (options: ServerOptions<User> = {}) =>
    startServer<User>({
      authenticate: ({ query }) => ({ id: new URLSearchParams(query).get('user') ?? 'anonymous' }),
      ...options,
      engine: redisEngine({ url: redis.url, prefix, ...engineOptions }),
    });
}

it('a keyed call retried on another process runs once, and the retry gets the first outcome', async () => {
  const start = cluster();
  let runs = 0;
  const api = { pay: (_ctx: Context, amount: number) => ({ receipt: ++runs, amount }) };
  const [a, b] = [await start({ api }), await start({ api })];
  const first = connectClient<typeof api>(`${a.url}?user=ada`);
  const retry = connectClient<typeof api>(`${b.url}?user=ada`);
  const paid = await first.callWith({ idempotencyKey: 'order-17' }, 'pay', 30);
  const again = await retry.callWith({ idempotencyKey: 'order-17' }, 'pay', 30);
  expect(again).toEqual(paid);
  expect(runs).toBe(1);
  const other = connectClient<typeof api>(`${b.url}?user=bob`); // another user's key space
  expect(await other.callWith({ idempotencyKey: 'order-17' }, 'pay', 5)).toEqual({ receipt: 2, amount: 5 });
});

it('a retry that arrives while the first attempt still runs elsewhere waits for its outcome instead of running again', async () => {
  const start = cluster();
  let runs = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const api = {
    slow: async () => {
      runs++;
      started();
      await finished;
      return 'done once';
    },
  };
  const [a, b] = [await start({ api }), await start({ api })];
  const onA = connectClient<typeof api>(`${a.url}?user=ada`);
  const onB = connectClient<typeof api>(`${b.url}?user=ada`);
  const first = onA.callWith({ idempotencyKey: 'k' }, 'slow');
  await running;
  const second = onB.callWith({ idempotencyKey: 'k' }, 'slow');
  finish();
  expect(await Promise.all([first, second])).toEqual(['done once', 'done once']);
  expect(runs).toBe(1);
});

it('sendToUser reaches the user on whichever process holds their connections', async () => {
  const start = cluster();
  const [a, b] = [await start(), await start()];
  const received: SignalFrame[] = [];
  const adaOnB = connectClient(`${b.url}?user=ada`);
  adaOnB.onSignal((signal) => received.push(signal));
  adaOnB.connect();
  await waitFor(() => b.connectionCount === 1);
  // Its process records the connection in Redis a moment after it opens.
  await untilAsync(async () => (await a.sendToUser('ada', 'probe', null)) === 1);
  expect(await a.sendToUser('ada', 'order-shipped', { orderId: 7 })).toBe(1);
  const shipped = await waitFor(() => received.find((signal) => signal.event === 'order-shipped'));
  expect(shipped).toEqual({ type: 'signal', event: 'order-shipped', data: { orderId: 7 } });
  expect(await a.sendToUser('nobody', 'x', null)).toBe(0);
  adaOnB.close();
  await waitFor(() => b.connectionCount === 0);
  await untilAsync(async () => (await a.sendToUser('ada', 'gone', null)) === 0);
});

it('a cluster-wide call limit counts a user’s calls on every process together', async () => {
  // A refill of one token a minute: nothing comes back during the test.
  const start = cluster({ rateLimit: { callsPerUser: { perSecond: 1 / 60, burst: 3 } } });
  const api = { ping: () => 'pong' };
  const [a, b] = [await start({ api }), await start({ api })];
  const onA = connectClient<typeof api>(`${a.url}?user=ada`);
  const onB = connectClient<typeof api>(`${b.url}?user=ada`);
  expect([await onA.call('ping'), await onB.call('ping'), await onA.call('ping')]).toEqual(['pong', 'pong', 'pong']);
  await expect(onB.call('ping')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  const bob = connectClient<typeof api>(`${b.url}?user=bob`);
  expect(await bob.call('ping')).toBe('pong'); // his own bucket
});

it('requestUser reaches the user on another process, and their answer comes back to the one that asked', async () => {
  const start = cluster();
  const [a, b] = [await start(), await start()];
  const adaOnB = connectClient(`${b.url}?user=ada`);
  adaOnB.onRequest<{ amount: number }>('confirm-payment', ({ amount }) => `paid ${amount}`);
  adaOnB.connect();
  await waitFor(() => b.connectionCount === 1);
  await untilAsync(async () => (await a.sendToUser('ada', 'probe', null)) === 1); // b has recorded her in Redis
  expect(await a.requestUser('ada', 'confirm-payment', { amount: 30 })).toBe('paid 30');
  await expect(a.requestUser('nobody', 'confirm-payment', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
});

it('a server started before its Redis says it is waiting (password hidden), then listens once Redis is up', async () => {
  const later = new RedisServerUnderTest();
  later.port = await freePort();
  const warnings: string[] = [];
  const logger = { ...quietLogger(), warn: (...args: unknown[]) => void warnings.push(args.join(' ')) };
  const server = createServer({ logger, engine: redisEngine({ url: `redis://:hunter2@127.0.0.1:${later.port}` }) });
  const waiting = createServer({ logger: quietLogger(), engine: redisEngine({ url: later.url }) });
  const listening = waiting.listen(0);
  void server.listen(0).catch(() => {}); // never reachable with that password: only its log is looked at
  await waitFor(() => warnings.length > 0);
  expect(warnings[0]).toMatch(/waiting for Redis at redis:\/\/:\*\*\*@127\.0\.0\.1/);
  expect(warnings.join()).not.toContain('hunter2');
  await later.start();
  expect(await listening).toBeGreaterThan(0);
  await Promise.all([server.close({ drainTimeoutMs: 0 }), waiting.close({ drainTimeoutMs: 0 })]);
  await later.stop();
});
