import { describe, expect, it } from 'vitest';
import { useRedis } from '../../test-support/redis';
import { until } from '../../test-support/until';
import { RedisTopicLog, type ChannelMessage } from './topic-log';

// Against a real redis-server (Debian's), on a free loopback port, with no persistence.

const { redis, connect: connectTo } = useRedis();
// No offline queue: while Redis is away a command fails at once rather than waiting to be sent.
const connect = () => connectTo({ disableOfflineQueue: true });

/** Every message of the topic's channel, parsed, as an instance's subscriber sees them. */
async function listen(log: RedisTopicLog, topic: string): Promise<ChannelMessage[]> {
  const subscriber = await connect();
  const heard: ChannelMessage[] = [];
  await subscriber.subscribe(log.channelOf(topic), (message) => heard.push(RedisTopicLog.parse(message)!));
  return heard;
}

describe('RedisTopicLog', () => {
  it('gives a topic one gapless seq across instances, each event stored and published in order', async () => {
    const [a, b] = [new RedisTopicLog(await connect()), new RedisTopicLog(await connect())];
    const heard = await listen(a, 'race');
    const positions = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).append('race', `e${i}`)));
    const seqs = positions.map((position) => position.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(positions.map((position) => position.epoch)).size).toBe(1);
    await until(() => heard.length === 200);
    expect(heard.map((message) => message.seq)).toEqual(seqs); // the channel carries them in seq order
  });

  it('resumes a client from any instance with exactly the events it missed, and says when it cannot', async () => {
    const log = new RedisTopicLog(await connect());
    const start = await log.position('resume');
    for (let i = 1; i <= 5; i++) await log.append('resume', `event ${i}`);
    const missed = await log.since('resume', { epoch: start.epoch, seq: 2 });
    expect(missed).toEqual({
      resumed: true,
      position: { epoch: start.epoch, seq: 5 },
      events: [3, 4, 5].map((seq) => ({ seq, event: `event ${seq}` })),
    });
    expect(await log.since('resume', { epoch: start.epoch, seq: 5 })).toMatchObject({ resumed: true, events: [] });
    expect(await log.since('resume', { epoch: 'another', seq: 2 })).toEqual({ resumed: false, position: { epoch: start.epoch, seq: 5 } });
    expect(await log.since('resume', { epoch: start.epoch, seq: 9 })).toMatchObject({ resumed: false }); // ahead of the log
  });

  it('keeps history within its count, bytes and age, and sends a client further back to reload', async () => {
    const log = new RedisTopicLog(await connect(), { maxEvents: 3, maxBytes: 1000, maxAgeMs: 60_000 });
    const { epoch } = await log.position('bounded');
    for (let i = 1; i <= 5; i++) await log.append('bounded', `event ${i}`, 1_000);
    expect(await log.since('bounded', { epoch, seq: 1 }, 1_000)).toMatchObject({ resumed: false }); // seq 2 is gone
    expect(await log.since('bounded', { epoch, seq: 2 }, 1_000)).toMatchObject({
      resumed: true,
      events: [{ seq: 3 }, { seq: 4 }, { seq: 5 }],
    });
    expect(await log.since('bounded', { epoch, seq: 2 }, 1_000 + 60_001)).toMatchObject({ resumed: false }); // too old to replay

    const bytes = new RedisTopicLog(await connect(), { maxEvents: 100, maxBytes: 250, maxAgeMs: 60_000 });
    const start = await bytes.position('bytes');
    for (let i = 0; i < 10; i++) await bytes.append('bytes', 'x'.repeat(100));
    // 250 bytes hold two events of 100.
    expect(await bytes.since('bytes', { epoch: start.epoch, seq: 8 })).toMatchObject({ resumed: true, events: [{ seq: 9 }, { seq: 10 }] });
    expect(await bytes.since('bytes', { epoch: start.epoch, seq: 7 })).toMatchObject({ resumed: false });
  });

  it('rotates the epoch when Redis restarts, without persistence or with it, so no client resumes over lost events', async () => {
    const log = new RedisTopicLog(await connect());
    await log.append('restart', 'before');
    const before = await log.append('restart', 'saved');
    await (await connect()).sendCommand(['SAVE']); // a snapshot holding seq 2 …
    await log.append('restart', 'lost with the crash'); // … and seq 3, which it does not hold
    await redis.restart(); // the snapshot is loaded: the topic's meta says seq 2 again
    const reader = new RedisTopicLog(await connect());
    const after = await reader.append('restart', 'after');
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.seq).toBe(1);
    expect(await reader.since('restart', before)).toMatchObject({ resumed: false, position: { epoch: after.epoch, seq: after.seq } });

    await redis.restart(); // and without any snapshot of this state
    expect((await new RedisTopicLog(await connect()).position('restart')).epoch).not.toBe(after.epoch);
  });

  it('fails a publish at once, with an error, while Redis is unreachable', async () => {
    const client = await connect();
    const log = new RedisTopicLog(client);
    await log.append('down', 'ok');
    await redis.kill();
    await expect(log.append('down', 'lost?')).rejects.toThrow();
    await redis.start();
    await until(() => client.isReady);
    expect((await log.append('down', 'back')).seq).toBeGreaterThan(0);
  });

  it('forgets a topic that was only subscribed to within minutes, and keeps a published one for its TTL', async () => {
    const redis = await connect();
    const log = new RedisTopicLog(redis);
    await log.position('made-up-by-a-client');
    const readTtl = Number(await redis.sendCommand(['PTTL', 'ws:{made-up-by-a-client}:m']));
    expect(readTtl).toBeGreaterThan(0);
    expect(readTtl).toBeLessThanOrEqual(10 * 60_000);
    await log.append('made-up-by-a-client', 'now it is real');
    expect(Number(await redis.sendCommand(['PTTL', 'ws:{made-up-by-a-client}:m']))).toBeGreaterThan(24 * 3_600_000);
  });

  it('does a publish with an id once per epoch: a retry returns its seq, a new epoch takes it again', async () => {
    const log = new RedisTopicLog(await connect());
    const first = await log.append('dedup', 'paid', Date.now(), 'order-1');
    expect(first.duplicate).toBe(false);
    expect(await log.append('dedup', 'paid again?', Date.now(), 'order-1')).toEqual({ ...first, duplicate: true });
    expect((await log.append('dedup', 'other', Date.now(), 'order-2')).seq).toBe(first.seq + 1);
    await redis.restart(); // its memory gone: the old seq means nothing in the new epoch
    const fresh = new RedisTopicLog(await connect());
    const again = await fresh.append('dedup', 'paid', Date.now(), 'order-1');
    expect(again).toMatchObject({ seq: 1, duplicate: false });
    expect(again.epoch).not.toBe(first.epoch);
  });
});
