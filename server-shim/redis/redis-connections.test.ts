import { expect, it } from 'vitest';
import { useRedis } from '../../test-support/redis';
import { until } from '../../test-support/until';
import { RedisConnections } from './redis-connections';

const { redis, connect } = useRedis();

it('a channel subscribed again while its unsubscribe is still in flight keeps its new listener', async () => {
  const connections = new RedisConnections(redis.url, { onReady() {}, onLost() {}, onWaiting() {} });
  await connections.connect();
  const publisher = await connect();
  const heard: string[] = [];
  for (let round = 0; round < 20; round++) {
    await connections.subscribe('room', () => {});
    void connections.unsubscribe('room'); // let go, and at once followed again
    await connections.subscribe('room', (message) => heard.push(`${round}:${message}`));
    await publisher.publish('room', 'hello');
    await until(() => heard.length === round + 1);
    await connections.unsubscribe('room');
  }
  expect(heard).toHaveLength(20);
  await connections.close();
});
