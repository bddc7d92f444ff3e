import { expect, it } from 'vitest';
import { useRedis } from '../../test-support/redis';
import { SharedBuckets } from './shared-buckets';

const { connect } = useRedis();

it('holds one rate for a key across instances: the burst is shared, then each refused take says when to retry', async () => {
  const limit = { perSecond: 1, burst: 5 }; // one a second: no refill between the takes below
  const [a, b] = [new SharedBuckets(await connect(), limit), new SharedBuckets(await connect(), limit)];
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).take('user:ada')));
  expect(results.filter((result) => result.allowed)).toHaveLength(5);
  const refused = results.filter((result) => !result.allowed);
  expect(refused).toHaveLength(3);
  for (const result of refused) expect((result as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
  expect((await a.take('user:bob')).allowed).toBe(true); // another key, another bucket
});

it('refills at its rate', async () => {
  const bucket = new SharedBuckets(await connect(), { perSecond: 50, burst: 1 });
  expect((await bucket.take('refill')).allowed).toBe(true);
  const refused = await bucket.take('refill');
  expect(refused.allowed).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, (refused as { retryAfterMs: number }).retryAfterMs + 5)); // as long as it said
  expect((await bucket.take('refill')).allowed).toBe(true);
});
