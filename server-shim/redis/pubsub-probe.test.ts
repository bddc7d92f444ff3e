import { expect, it } from 'vitest';
import { useRedis } from '../../test-support/redis';
import { until } from '../../test-support/until';
import { PubSubProbe } from './pubsub-probe';

const { connect } = useRedis();
it('probes an idle subscriber, stays quiet while the echo comes back, and reports one that went deaf', async () => {
  const subscriber = await connect();
  let stalls = 0;
  let probes = 0;
  const probe = new PubSubProbe(await connect(), subscriber, 'node-a', () => stalls++, { idleMs: 30, timeoutMs: 100 });
  await probe.start();
  // Count the probes as Redis sees them, from a monitor of our own.
  const watcher = await connect();
  await watcher.subscribe('ws:probe:node-a', () => probes++);
  await until(() => probes >= 3); // a few idle periods, each answered
  expect(stalls).toBe(0);

  // Deaf: the subscriber no longer gets its probe channel (as after a failover that wedged it).
  await subscriber.unsubscribe('ws:probe:node-a');
  await until(() => stalls > 0);
  expect(stalls).toBe(1);
  probe.stop();
});
