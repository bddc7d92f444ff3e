import { atom } from 'nanostores';
import { describe, expect, it, vi } from 'vitest';
import { combine } from './combine';
import { openClient, settle, useFakeSockets } from './test-support/fake-client';
import { FakeSocket } from './test-support/fake-socket';

useFakeSockets();

const ack = (extra: object) => ({
  type: 'subscribed',
  ref: 1,
  topic: 'todos',
  epoch: 'epoch-1',
  seq: 0,
  resumed: false,
  merge: { strategy: 'crud', key: 'id' },
  ...extra,
});

describe('stream store', () => {
  it('applies a snapshot and its replayed events in one pass, notifying once', async () => {
    const client = await openClient();
    const todos = client.stream('todos/list');
    const values: unknown[] = [];
    todos.subscribe((value) => values.push(value));
    await settle();
    expect(FakeSocket.last.sent).toContainEqual({ type: 'subscribe', ref: 1, topic: 'todos/list', stream: true, args: [] });
    FakeSocket.last.deliver(
      ack({
        snapshot: true,
        data: [{ id: 1 }],
        seq: 3,
        replay: [4, 5, 6].map((seq) => ({ topic: 'todos', event: 'created', data: { id: seq }, seq })),
      }),
    );
    expect(values).toEqual([undefined, [{ id: 1 }, { id: 4 }, { id: 5 }, { id: 6 }]]);
  });

  it('drops an event it has already seen', async () => {
    const client = await openClient();
    const todos = client.stream('todos/list');
    todos.subscribe(() => {});
    await settle();
    FakeSocket.last.deliver(ack({ snapshot: true, data: [], seq: 1 }));
    FakeSocket.last.deliver({ topic: 'todos', event: 'created', data: { id: 1 }, seq: 1 });
    FakeSocket.last.deliver({ topic: 'todos', event: 'created', data: { id: 2 }, seq: 2 });
    FakeSocket.last.deliver({ topic: 'todos', event: 'deleted', data: { id: 2 }, seq: 2 });
    await settle();
    expect(todos.get()).toEqual([{ id: 2 }]);
  });

  it('asks for a backfill from its position the moment it sees a gap, and shows its data meanwhile', async () => {
    const client = await openClient();
    const todos = client.stream('todos/list');
    todos.subscribe(() => {});
    await settle();
    FakeSocket.last.deliver(ack({ snapshot: true, data: [{ id: 1 }], seq: 5 }));
    FakeSocket.last.sent.length = 0;
    FakeSocket.last.deliver({ topic: 'todos', event: 'created', data: { id: 8 }, seq: 8 });
    expect(FakeSocket.last.sent).toEqual([
      { type: 'subscribe', ref: 1, topic: 'todos/list', stream: true, args: [], resume: { epoch: 'epoch-1', seq: 5 } },
    ]);
    expect(todos.status.get()).toBe('resyncing');
    expect(todos.get()).toEqual([{ id: 1 }]);
    FakeSocket.last.deliver({ topic: 'todos', event: 'created', data: { id: 9 }, seq: 9 }); // still waiting: ignored
    FakeSocket.last.deliver(
      ack({ seq: 5, resumed: true, replay: [6, 7, 8, 9].map((seq) => ({ topic: 'todos', event: 'created', data: { id: seq }, seq })) }),
    );
    expect(todos.get()).toEqual([{ id: 1 }, { id: 6 }, { id: 7 }, { id: 8 }, { id: 9 }]);
    expect(todos.status.get()).toBe('live');
    expect(todos.lastSync.get()).toBe('recovered');
  });

  it('keeps its data through a disconnect, marked resyncing', async () => {
    const client = await openClient();
    const todos = client.stream('todos/list');
    todos.subscribe(() => {});
    await settle();
    FakeSocket.last.deliver(ack({ snapshot: true, data: [{ id: 1 }] }));
    FakeSocket.last.drop();
    expect(todos.status.get()).toBe('resyncing');
    expect(todos.get()).toEqual([{ id: 1 }]);
  });

  it('releases the wire subscription only after a grace period, so a quick remount costs nothing', async () => {
    vi.stubGlobal('window', {}); // the store cache is a browser's (see the SSR test in streams.test.ts)
    const client = await openClient();
    const todos = client.stream('todos/list');
    let stop = todos.subscribe(() => {});
    await settle();
    FakeSocket.last.deliver(ack({ snapshot: true, data: [] }));
    FakeSocket.last.sent.length = 0;
    stop();
    await vi.advanceTimersByTimeAsync(500);
    stop = todos.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(2000);
    expect(FakeSocket.last.sent).toEqual([]);
    stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.last.sent).toEqual([{ type: 'unsubscribe', topic: 'todos' }]);
    expect(client.stream('todos/list')).toBe(todos); // kept for back navigation
    vi.unstubAllGlobals();
  });

  it('subscribes through when() only while the condition holds', async () => {
    const client = await openClient();
    const enabled = atom(false);
    const gated = client.stream('todos/list').when(enabled);
    const values: unknown[] = [];
    gated.subscribe((value) => values.push(value));
    await settle();
    expect(FakeSocket.last.sent.filter((frame) => (frame as { type: string }).type === 'subscribe')).toEqual([]);
    enabled.set(true);
    await settle();
    FakeSocket.last.deliver(ack({ snapshot: true, data: [{ id: 1 }] }));
    expect(gated.get()).toEqual([{ id: 1 }]);
    enabled.set(false);
    expect(gated.get()).toBeUndefined();
  });

  it('combines stores into one computed store', () => {
    const a = atom(2);
    const b = atom(3);
    const product = combine(a, b, (x, y) => x * y);
    product.subscribe(() => {});
    a.set(4);
    expect(product.get()).toBe(12);
  });

  it('takes plain data through hydrate, with no loading state', async () => {
    const client = await openClient();
    const todos = client.stream('todos/list');
    todos.hydrate([{ id: 7 }]);
    expect(todos.get()).toEqual([{ id: 7 }]);
    expect(todos.lastSync.get()).toBe('hydrated');
    todos.subscribe(() => {});
    await settle();
    FakeSocket.last.deliver(ack({ snapshot: true, data: [{ id: 7 }, { id: 8 }] }));
    expect(todos.get()).toEqual([{ id: 7 }, { id: 8 }]);
    expect(todos.lastSync.get()).toBe('reloaded');
  });

  it('loads its write side on demand: an early optimistic change shows once loaded, and its rollback works', async () => {
    const client = await openClient();
    const todos = client.stream<Array<{ id: number }>>('todos/list');
    todos.hydrate([{ id: 1 }]); // data without a listener: nothing has asked for the write side yet
    const rollback = todos.optimistic('created', { id: 2 });
    expect(todos.get()).toEqual([{ id: 1 }]); // not loaded yet: the change waits for it
    await vi.waitFor(() => expect(todos.get()).toEqual([{ id: 1 }, { id: 2 }]));
    rollback();
    await vi.waitFor(() => expect(todos.get()).toEqual([{ id: 1 }]));
    // Loaded now: the next change shows in the same tick.
    todos.optimistic('created', { id: 3 });
    expect(todos.get()).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it('starts loading its write side when first listened to, so a change after the data arrives shows at once', async () => {
    const client = await openClient();
    const todos = client.stream<Array<{ id: number }>>('todos/list');
    todos.subscribe(() => {});
    await settle();
    FakeSocket.last.deliver(ack({ snapshot: true, data: [{ id: 1 }] }));
    await vi.dynamicImportSettled();
    todos.optimistic('updated', { id: 1, done: true });
    expect(todos.get()).toEqual([{ id: 1, done: true }]);
  });
});
