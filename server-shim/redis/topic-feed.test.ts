import { expect, it } from 'vitest';
import { useRedis } from '../../test-support/redis';
import { until } from '../../test-support/until';
import { RedisTopicFeed, type FeedEvent } from './topic-feed';
import { RedisTopicLog, type Position } from './topic-log';

// Against a real redis-server: one instance's feed, fed by appends from "other instances".

const { redis, connect } = useRedis();

async function feedFor() {
  const delivered: FeedEvent[] = [];
  const resets: Array<{ topic: string; position: Position }> = [];
  const subscriber = await connect();
  const log = new RedisTopicLog(await connect());
  const feed = new RedisTopicFeed(log, subscriber, {
    deliver: (event) => delivered.push(event),
    reset: (topic, position) => resets.push({ topic, position }),
    unsequenced: () => {},
  });
  return { feed, log, subscriber, delivered, resets };
}

it('hands on a topic’s events in seq order from where its subscribers are, including those published while it subscribed', async () => {
  const { feed, log, delivered } = await feedFor();
  const writer = new RedisTopicLog(await connect());
  await writer.append('orders', 'before 1');
  const from = await log.position('orders');
  await writer.append('orders', 'between'); // after `from`, before the feed watches
  await feed.watch('orders', from);
  await Promise.all(Array.from({ length: 50 }, (_, i) => writer.append('orders', `live ${i}`)));
  await until(() => delivered.length === 51);
  expect(delivered.map((event) => event.seq)).toEqual(Array.from({ length: 51 }, (_, i) => from.seq + 1 + i));
  expect(delivered[0]!.event).toBe('between');
});

it('fills a gap from the log before anything after it goes out', async () => {
  const { feed, log, delivered } = await feedFor();
  const raw = await connect();
  await feed.watch('gappy', await log.position('gappy'));
  await log.append('gappy', 'one');
  // An event stored but whose publish this instance never heard (as when a pub/sub message is lost):
  const tagged = 'ws:{gappy}';
  await raw.sendCommand(['HINCRBY', `${tagged}:m`, 's', '1']);
  await raw.sendCommand(['XADD', `${tagged}:x`, '2-0', 'd', 'two (never published)', 't', String(Date.now())]);
  await log.append('gappy', 'three');
  await until(() => delivered.length === 3);
  expect(delivered.map((event) => event.event)).toEqual(['one', 'two (never published)', 'three']);
});

it('catches up after its subscriber reconnects, and tells subscribers to reload when Redis lost the history', async () => {
  const { feed, log, subscriber, delivered, resets } = await feedFor();
  const writer = new RedisTopicLog(await connect());
  await feed.watch('flaky', await log.position('flaky'));
  await writer.append('flaky', 'heard');
  await until(() => delivered.length === 1);
  await (await connect()).sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']); // the subscriber's connection drops
  await writer.append('flaky', 'missed while away');
  await until(() => subscriber.isReady);
  await feed.resync();
  await until(() => delivered.length === 2);
  expect(delivered[1]!.event).toBe('missed while away');

  await redis.restart(); // without persistence: the topic's history is gone
  await until(() => subscriber.isReady);
  await feed.resync();
  await until(() => resets.length === 1);
  expect(resets[0]!.position.epoch).not.toBe(delivered[0]!.epoch);
  await new RedisTopicLog(await connect()).append('flaky', 'new era');
  await until(() => delivered.length === 3);
  expect(delivered[2]).toMatchObject({ event: 'new era', epoch: resets[0]!.position.epoch });
});

it('watching from now: the position comes first, then every later event once and in order, with appends racing the start', async () => {
  const { feed, delivered } = await feedFor();
  const writer = new RedisTopicLog(await connect());
  await writer.append('racing', 'before');
  const positions: Position[] = [];
  const racing = Promise.all(Array.from({ length: 40 }, (_, i) => writer.append('racing', `during ${i}`)));
  const position = await feed.watchFromNow('racing', (at) => positions.push({ ...at, seq: delivered.length }));
  await racing;
  await Promise.all(Array.from({ length: 10 }, (_, i) => writer.append('racing', `after ${i}`)));
  await until(() => delivered.length === 51 - position.seq);
  expect(positions).toEqual([{ epoch: position.epoch, seq: 0 }]); // told before anything was handed on
  expect(delivered.map((event) => event.seq)).toEqual(Array.from({ length: 51 - position.seq }, (_, i) => position.seq + 1 + i));
});
