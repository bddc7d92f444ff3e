import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer';

function filled(count: number, options = {}, clock = { now: 0 }) {
  const buffer = new ReplayBuffer(options, () => clock.now);
  for (let seq = 1; seq <= count; seq++) buffer.record('t', 'e', seq, seq);
  return buffer;
}

describe('ReplayBuffer', () => {
  it('returns exactly the events after a position, in order', () => {
    expect(
      filled(5)
        .since('t', 2, 5)
        ?.map((e) => e.seq),
    ).toEqual([3, 4, 5]);
    expect(filled(5).since('t', 5, 5)).toEqual([]);
    expect(filled(5).since('t', 0, 5)).toHaveLength(5);
  });

  it('refuses when the gap reaches back past the oldest event kept', () => {
    const buffer = filled(1000, { maxEvents: 100 });
    expect(buffer.since('t', 899, 1000)).toBeUndefined();
    expect(buffer.since('t', 900, 1000)).toHaveLength(100);
  });

  it('refuses a position ahead of the topic, or on a topic it never saw', () => {
    expect(filled(3).since('t', 7, 3)).toBeUndefined();
    expect(filled(3).since('other', 1, 3)).toBeUndefined();
  });

  it('ages events out counted from now, published or not, and forgets a topic left empty', () => {
    const clock = { now: 0 };
    const buffer = new ReplayBuffer({ maxAgeMs: 1000 }, () => clock.now);
    const forgotten: string[] = [];
    buffer.onForget = (topic) => forgotten.push(topic);
    buffer.record('t', 'e', 1, 1);
    clock.now = 500;
    buffer.record('t', 'e', 2, 2);
    clock.now = 1400;
    buffer.record('t', 'e', 3, 3);
    expect(buffer.since('t', 0, 3)).toBeUndefined();
    expect(buffer.since('t', 1, 3)?.map((e) => e.seq)).toEqual([2, 3]);
    clock.now = 2000; // nothing published since: the sweep still drops what is too old
    buffer.sweep();
    expect(buffer.since('t', 2, 3)?.map((e) => e.seq)).toEqual([3]);
    clock.now = 10_000;
    buffer.sweep();
    expect(buffer.size).toBe(0);
    expect(buffer.holds('t')).toBe(false);
    expect(forgotten).toEqual(['t']);
  });

  it('bounds each topic by bytes, and drops a topic whose single event is over the bound', () => {
    const buffer = new ReplayBuffer({ maxTopicBytes: 10_000 });
    for (let seq = 1; seq <= 100; seq++) buffer.record('t', 'e', seq, seq, 1000);
    expect(buffer.bytes).toBe(10_000);
    expect(buffer.since('t', 90, 100)).toHaveLength(10);
    expect(buffer.since('t', 89, 100)).toBeUndefined();
    buffer.record('t', 'e', null, 101, 20_000);
    expect(buffer.holds('t')).toBe(false);
    expect(buffer.bytes).toBe(0);
  });

  it('bounds all topics together by bytes', () => {
    const buffer = new ReplayBuffer({ maxTotalBytes: 1_000_000 });
    // One publisher of 400 KB payloads: at most the budget is held, however long it goes on.
    for (let seq = 1; seq <= 1000; seq++) buffer.record(`big${seq % 7}`, 'e', null, Math.ceil(seq / 7), 400_000);
    expect(buffer.bytes).toBeLessThanOrEqual(1_000_000);
  });

  it("forgets the shim's own presence topics before any app topic, however busy they are", () => {
    const clock = { now: 0 };
    const buffer = new ReplayBuffer({ maxTotalEvents: 1000 }, () => clock.now);
    buffer.record('orders', 'e', 1, 1); // quiet app topic, published first
    for (let room = 0; room < 5000; room++) {
      clock.now = room + 1;
      buffer.record(`__presence:room${room}`, 'join', { key: 'k' }, 1);
    }
    expect(buffer.size).toBeLessThanOrEqual(1000);
    expect(buffer.since('orders', 0, 1)).toHaveLength(1);
  });

  it('stays correct across its bulk trims', () => {
    const buffer = filled(10_000, { maxEvents: 300 });
    expect(buffer.since('t', 9_700, 10_000)?.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => 9_701 + i));
    expect(buffer.since('t', 9_699, 10_000)).toBeUndefined();
  });

  it('bounds the events of all topics together, forgetting the quietest topics first', () => {
    const clock = { now: 0 };
    const buffer = new ReplayBuffer({ maxEvents: 100, maxTotalEvents: 1000 }, () => clock.now);
    for (let topic = 0; topic < 50; topic++) {
      clock.now = topic; // topic 49 published last
      for (let seq = 1; seq <= 100; seq++) buffer.record(`t${topic}`, 'e', seq, seq);
    }
    expect(buffer.size).toBeLessThanOrEqual(1000);
    expect(buffer.since('t49', 0, 100)).toHaveLength(100);
    expect(buffer.since('t0', 99, 100)).toBeUndefined(); // forgotten: its clients reload in full
  });
});
