import { expect, it, vi } from 'vitest';
import { deriveFromFrame, newDerivation, noteEventOutcome } from './derive';
import type { CallRecord } from './recorder';

function fresh() {
  const notes: string[] = [];
  const calls: CallRecord[] = [];
  const state = newDerivation((lane, what) => notes.push(`${lane}: ${what}`));
  const feed = (direction: 'in' | 'out', frame: Record<string, unknown>) =>
    deriveFromFrame(state, direction, frame, (call) => calls.push(call));
  return { notes, calls, state, feed };
}

it('notes a stream subscription on its topic lane, naming the stream path it was for', () => {
  const { notes, feed } = fresh();
  feed('out', { type: 'subscribe', ref: 1, topic: 'todos/list', stream: true });
  feed('in', {
    type: 'subscribed',
    ref: 1,
    topic: 'todos',
    epoch: 'e',
    seq: 0,
    resumed: false,
    snapshot: true,
    merge: { strategy: 'crud' },
  });
  expect(notes).toEqual(['topic:todos: loaded (snapshot) (for todos/list)']);
});

it('names why a resubscription reloaded: a changed epoch, or a replay that no longer reaches', () => {
  const { notes, feed } = fresh();
  feed('out', { type: 'subscribe', ref: 1, topic: 'todos', resume: { epoch: 'a.0', seq: 4 } });
  feed('in', { type: 'subscribed', ref: 1, topic: 'todos', epoch: 'b.0', seq: 0, resumed: false, snapshot: true });
  feed('out', { type: 'subscribe', ref: 2, topic: 'todos', resume: { epoch: 'b.0', seq: 1 } });
  feed('in', { type: 'subscribed', ref: 2, topic: 'todos', epoch: 'b.0', seq: 90, resumed: false, snapshot: true });
  expect(notes).toEqual([
    'topic:todos: reloaded: epoch changed a.0 → b.0 (server restarted, or the topic was idle and freed)',
    'topic:todos: reloaded: the replay buffer no longer holds seq 2',
  ]);
});

it('notes the gaps and duplicates the client counted, marks the backfill, and settles calls with their outcome', () => {
  const { notes, calls, feed, state } = fresh();
  feed('out', { type: 'subscribe', ref: 1, topic: 'chat' });
  feed('in', { type: 'subscribed', ref: 1, topic: 'chat', epoch: 'e', seq: 3, resumed: false, snapshot: true });
  noteEventOutcome(state, { topic: 'chat', seq: 4 }, 'duplicate');
  noteEventOutcome(state, { topic: 'chat', seq: 7 }, 'gap');
  feed('in', { type: 'subscribed', ref: 2, topic: 'chat', epoch: 'e', seq: 4, resumed: true, replay: [{}, {}, {}] });
  feed('in', { topic: 'chat', seq: 5, droppedByDevtools: true });
  feed('out', { type: 'call', id: 9, path: 'todos/add', args: ['x'], key: 'k' });
  feed('in', { type: 'error', id: 9, error: { code: 'LOCKED', message: 'no' } });
  expect(notes.slice(1)).toEqual([
    'topic:chat: duplicate seq 4 dropped',
    'topic:chat: gap: seq 7 came after missing ones; backfill requested',
    'topic:chat: backfilled: resumed at seq 4, 3 replayed',
    'topic:chat: seq 5 dropped by the chaos controls',
  ]);
  expect(calls).toEqual([expect.objectContaining({ id: 9, path: 'todos/add', key: 'k', outcome: 'LOCKED' })]);
});

it('counts a resend of the same idempotency key as another attempt of one call', () => {
  const { calls, feed } = fresh();
  feed('out', { type: 'call', id: 1, path: 'pay', args: [5], key: 'k1' });
  feed('out', { type: 'call', id: 1, path: 'pay', args: [5], key: 'k1' }); // after a dropped socket
  feed('out', { type: 'batch', calls: [{ id: 2, path: 'read', args: [] }], sequential: false });
  expect(calls.map(({ path, attempt, batch }) => ({ path, attempt, batch }))).toEqual([
    { path: 'pay', attempt: 1, batch: undefined },
    { path: 'pay', attempt: 2, batch: undefined },
    { path: 'read', attempt: 1, batch: 1 },
  ]);
});

it('measures the round trip of a heartbeat from its ping to its pong', () => {
  vi.useFakeTimers({ now: 1_000 });
  try {
    const { state, feed } = fresh();
    feed('out', { type: 'ping' });
    vi.setSystemTime(1_042);
    feed('in', { type: 'pong' });
    expect(state.rttMs).toBe(42);
    feed('in', { type: 'pong' }); // unasked: changes nothing
    expect(state.rttMs).toBe(42);
  } finally {
    vi.useRealTimers();
  }
});
