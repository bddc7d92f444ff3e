import { describe, expect, it, vi } from 'vitest';
import { openClient, settle, useFakeSockets } from './test-support/fake-client';
import { FakeSocket } from './test-support/fake-socket';

useFakeSockets();

const event = (seq: number, data: unknown = seq) => ({ topic: 'feed', event: 'item', data, seq });
/** A `subscribed` reply resuming the feed from `seq`, replaying `replay`. */
const resumedFrom = (seq: number, replay: unknown[]) => ({
  type: 'subscribed',
  ref: 1,
  topic: 'feed',
  epoch: 'e',
  seq,
  resumed: true,
  replay,
});
const subscribes = () => FakeSocket.last.sent.filter((frame) => (frame as { type: string }).type === 'subscribe');

async function latestStore(max = 50) {
  const client = await openClient();
  const feed = client.stream<number[]>('feed/list');
  feed.subscribe(() => {});
  await settle();
  FakeSocket.last.deliver({
    type: 'subscribed',
    ref: 1,
    topic: 'feed',
    epoch: 'e',
    seq: 10,
    resumed: false,
    snapshot: true,
    data: [],
    merge: { strategy: 'latest', max },
  });
  return { client, feed };
}

describe('stream positions', () => {
  it('takes several events arriving in one task in order, with no false gap and no backfill', async () => {
    const { feed } = await latestStore();
    FakeSocket.last.deliver(event(11));
    FakeSocket.last.deliver(event(12));
    FakeSocket.last.deliver(event(13));
    await settle();
    expect(feed.get()).toEqual([11, 12, 13]);
    expect(subscribes()).toHaveLength(1);
    expect(feed.status.get()).toBe('live');
  });

  it('a backfill reply replaying events that arrived meanwhile applies each once', async () => {
    const { feed } = await latestStore();
    FakeSocket.last.deliver(event(11));
    FakeSocket.last.deliver(event(13)); // gap: 12 is missing, a backfill from 11 goes out
    expect(subscribes().at(-1)).toMatchObject({ resume: { epoch: 'e', seq: 11 } });
    // The reply replays 12 and 13 from 11.
    FakeSocket.last.deliver(resumedFrom(11, [event(12), event(13)]));
    FakeSocket.last.deliver(event(13)); // a late live copy
    FakeSocket.last.deliver(event(14));
    await settle();
    expect(feed.get()).toEqual([11, 12, 13, 14]);
  });

  it('a resumed reply from an older position never rewinds: what was applied is not applied again', async () => {
    const { feed } = await latestStore();
    for (const seq of [11, 12, 13]) FakeSocket.last.deliver(event(seq));
    await settle();
    FakeSocket.last.deliver(resumedFrom(11, [event(12), event(13), event(14)]));
    await settle();
    expect(feed.get()).toEqual([11, 12, 13, 14]);
  });
});

describe('server-declared merges', () => {
  it('uses the server\u2019s crud key and prepend even though the client\u2019s default is crud too', async () => {
    const client = await openClient();
    const rows = client.stream<Array<{ uid: number }>>('rows/list');
    rows.subscribe(() => {});
    await settle();
    FakeSocket.last.deliver({
      type: 'subscribed',
      ref: 1,
      topic: 'rows',
      epoch: 'e',
      seq: 0,
      resumed: false,
      snapshot: true,
      data: [{ uid: 1 }],
      merge: { strategy: 'crud', key: 'uid', prepend: true },
    });
    FakeSocket.last.deliver({ topic: 'rows', event: 'created', data: { uid: 2 }, seq: 1 });
    FakeSocket.last.deliver({ topic: 'rows', event: 'deleted', data: { uid: 1 }, seq: 2 });
    await settle();
    expect(rows.get()).toEqual([{ uid: 2 }]);
  });
});

describe('store lifecycle', () => {
  it('loads when a listener leaves and comes back in the next task, as React\u2019s useStore does', async () => {
    const client = await openClient();
    const feed = client.stream<number[]>('feed/list');
    feed.listen(() => {})(); // mount, then unlisten at once (a strict-mode effect cleanup)
    await vi.advanceTimersByTimeAsync(1); // the next task
    const stop = feed.listen(() => {});
    await settle();
    expect(subscribes()).toHaveLength(1);
    FakeSocket.last.deliver({
      type: 'subscribed',
      ref: 1,
      topic: 'feed',
      epoch: 'e',
      seq: 0,
      resumed: false,
      snapshot: true,
      data: [1],
      merge: { strategy: 'latest', max: 50 },
    });
    expect(feed.get()).toEqual([1]);
    expect(feed.status.get()).toBe('live');
    stop();
  });
});
