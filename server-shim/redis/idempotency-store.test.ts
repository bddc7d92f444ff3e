import { expect, it } from 'vitest';
import { useRedis } from '../../test-support/redis';
import { until } from '../../test-support/until';
import type { Outcome } from '../idempotency';
import { SharedIdempotency } from './idempotency-store';

// Against a real redis-server: "instances" are separate connections with their own SharedIdempotency.

const { connect } = useRedis();

async function instance(options: ConstructorParameters<typeof SharedIdempotency>[1] = {}) {
  return new SharedIdempotency(await connect(), options);
}

it('runs a key once across instances: a repeat during the first attempt waits for its outcome, a later one reads it', async () => {
  const [a, b, c] = [await instance(), await instance(), await instance()];
  let runs = 0;
  let finish!: (outcome: Outcome) => void;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const first = a.run('user:1', 'k1', () => {
    runs++;
    started();
    return new Promise<Outcome>((resolve) => (finish = resolve));
  });
  await running; // its claim is in Redis: the handler runs only once the key is claimed
  const repeat = b.run('user:1', 'k1', () => {
    runs++;
    return { ok: true, data: 'second' };
  });
  finish({ ok: true, data: { id: 7 } });
  expect(await first).toEqual({ ok: true, data: { id: 7 } });
  expect(await repeat).toEqual({ ok: true, data: { id: 7 } });
  expect(await c.run('user:1', 'k1', () => ({ ok: true, data: 'third' }))).toEqual({ ok: true, data: { id: 7 } });
  expect(runs).toBe(1);
  // Errors are outcomes too; another scope or key is another call.
  expect(await a.run('user:1', 'k2', () => ({ ok: false, error: { code: 'LOCKED', message: 'no' } }))).toMatchObject({ ok: false });
  expect(await b.run('user:1', 'k2', () => ({ ok: true, data: 'ran again' }))).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
  expect(await b.run('user:2', 'k1', () => ({ ok: true, data: 'other user' }))).toEqual({ ok: true, data: 'other user' });
});

it('lets a repeat run the call when the instance that claimed it died (its lease ran out), and renews the lease of a slow call', async () => {
  const dyingClient = await connect();
  const dying = new SharedIdempotency(dyingClient, { leaseMs: 150 });
  let claimed!: () => void;
  const running = new Promise<void>((resolve) => (claimed = resolve));
  // It claims the key, starts running, and never finishes: as if its process died mid-call…
  dying.run('user:1', 'orphan', () => (claimed(), new Promise<Outcome>(() => {}))).catch(() => {});
  await running;
  dyingClient.destroy(); // …and its connection (and lease renewals) with it
  const survivor = await instance({ leaseMs: 150, waitMs: 5_000 });
  expect(await survivor.run('user:1', 'orphan', () => ({ ok: true, data: 'ran on the survivor' }))).toEqual({
    ok: true,
    data: 'ran on the survivor',
  });

  // The slow call's connection, counting the lease renewals it sends (one every lease / 3).
  const slowClient = await connect();
  let renewals = 0;
  const counting = {
    sendCommand: (args: string[]) => {
      if (args.includes('renew')) renewals++;
      return slowClient.sendCommand(args);
    },
  };
  const slow = new SharedIdempotency(counting, { leaseMs: 150 });
  const repeatAfter = await instance({ leaseMs: 150, waitMs: 5_000 });
  let runs = 0;
  let finish!: () => void;
  const first = slow.run('user:1', 'slow', async () => {
    runs++;
    await new Promise<void>((resolve) => (finish = resolve));
    return { ok: true, data: 'slow but alive' };
  });
  // Four renewals: longer than one lease since the claim, which without them would have run out.
  await until(() => renewals >= 4);
  const repeat = repeatAfter.run('user:1', 'slow', () => ({ ok: true, data: 'must not run' }));
  finish();
  expect(await first).toEqual({ ok: true, data: 'slow but alive' });
  expect(await repeat).toEqual({ ok: true, data: 'slow but alive' });
  expect(runs).toBe(1);
});

it('does not keep outcomes over the size limit or not JSON: a repeat runs again', async () => {
  const window = await instance({ maxResultBytes: 100 });
  let runs = 0;
  const big = () => ({ ok: true as const, data: 'x'.repeat(200), runs: ++runs });
  await window.run('user:1', 'big', big);
  await window.run('user:1', 'big', big);
  expect(runs).toBe(2);
});
