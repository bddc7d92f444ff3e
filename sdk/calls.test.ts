import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientFrame } from '../protocol/frames';
import { Calls, type CallDetour, type CallLink } from './calls';
import type { ConnectionState } from './status';

interface FakeLink {
  state: ConnectionState;
  sent: ClientFrame[];
  tooLarge: boolean;
  starts: number;
  port: CallLink;
}

/** A connection stand-in: records frames, and is open or not as the test says. */
function fakeLink(initial: ConnectionState = 'open'): FakeLink {
  const link: FakeLink = {
    state: initial,
    sent: [] as ClientFrame[],
    tooLarge: false,
    starts: 0,
    port: {
      send: (frame: ClientFrame) => {
        if (link.state !== 'open') return 'not-open' as const;
        if (link.tooLarge) return 'too-large' as const;
        link.sent.push(frame);
        return 'sent' as const;
      },
      start: () => void link.starts++,
      state: () => link.state,
    } satisfies CallLink,
  };
  return link;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Calls', () => {
  it('sends two identical calls made in one tick as two calls, each with its own key', () => {
    const link = fakeLink();
    const calls = new Calls(link.port, 1000);
    void calls.call({}, 'todos/add', ['milk']);
    void calls.call({}, 'todos/add', ['milk']);
    void calls.call({ idempotencyKey: 'a' }, 'todos/add', ['eggs']);
    void calls.call({ idempotencyKey: 'b' }, 'todos/add', ['eggs']);
    expect(link.sent).toHaveLength(4);
    const keys = link.sent.map((frame) => (frame as { key?: string }).key);
    expect(new Set(keys).size).toBe(4);
    expect(keys.slice(2)).toEqual(['a', 'b']);
  });

  it('holds calls until the socket opens, then sends them in order and settles them from replies', async () => {
    const link = fakeLink('connecting');
    const calls = new Calls(link.port, 1000);
    const first = calls.call({}, 'a', [1]);
    const second = calls.call({ idempotent: false }, 'b', [2]);
    expect(link.sent).toEqual([]);
    link.state = 'open';
    calls.opened(50);
    expect(link.sent.map((frame) => frame.type === 'call' && frame.path)).toEqual(['a', 'b']);
    calls.replied(1, 'one');
    calls.failed({ type: 'error', id: 2, error: { code: 'NOT_FOUND', message: 'no b' } });
    await expect(first).resolves.toBe('one');
    await expect(second).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no b' });
  });

  it('after a drop, sends keyed calls again and rejects unkeyed ones, whose outcome is unknown', async () => {
    const link = fakeLink();
    const calls = new Calls(link.port, 1000);
    const keyed = calls.call({}, 'pay', [5]);
    const unkeyed = calls.call({ idempotent: false }, 'read', []);
    link.state = 'reconnecting';
    calls.dropped('retry', 1006, '');
    await expect(unkeyed).rejects.toMatchObject({ code: 'DISCONNECTED' });
    link.sent = [];
    link.state = 'open';
    calls.opened(50);
    expect(link.sent).toEqual([expect.objectContaining({ type: 'call', path: 'pay', id: 1 })]);
    calls.replied(1, 'paid once');
    await expect(keyed).resolves.toBe('paid once');
  });

  it('rejects everything with the close code when the server ends the connection', async () => {
    const link = fakeLink();
    const calls = new Calls(link.port, 1000);
    const pending = calls.call({}, 'a', []);
    calls.dropped('terminal', 4403, 'banned');
    await expect(pending).rejects.toMatchObject({ code: 'TERMINATED', details: { closeCode: 4403, reason: 'banned' } });
    link.state = 'terminal';
    await expect(calls.call({}, 'b', [])).rejects.toMatchObject({ code: 'TERMINATED' });
  });

  it('batches calls into one frame, nested batches included, and refuses a batch over the server limit', async () => {
    const link = fakeLink();
    const calls = new Calls(link.port, 1000);
    calls.opened(2);
    calls.batch(() => {
      void calls.call({}, 'a', []);
      calls.batch(() => void calls.call({}, 'b', []));
    }, true);
    expect(link.sent).toEqual([
      { type: 'batch', sequential: true, calls: [expect.objectContaining({ path: 'a' }), expect.objectContaining({ path: 'b' })] },
    ]);
    const tooMany = calls.batch(() => [1, 2, 3].map((n) => calls.call({}, 'c', [n])));
    for (const call of tooMany) await expect(call).rejects.toMatchObject({ code: 'BATCH_TOO_LARGE' });
    expect(link.sent).toHaveLength(1);
  });

  it("rejects a call larger than the server's limit at once instead of sending it", async () => {
    const link = fakeLink();
    link.tooLarge = true;
    const calls = new Calls(link.port, 1000);
    await expect(calls.call({}, 'upload', ['x'])).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('times out a call with no reply', async () => {
    const calls = new Calls(fakeLink().port, 1000);
    const pending = calls.call({ timeoutMs: 50 }, 'slow', []);
    const outcome = expect(pending).rejects.toMatchObject({ code: 'TIMEOUT' });
    await vi.advanceTimersByTimeAsync(50);
    await outcome;
  });

  it('waits for the offline queue to load, then queues keyed calls while the socket is down', async () => {
    const link = fakeLink('reconnecting');
    const enqueued: unknown[] = [];
    let loaded!: () => void;
    const queue = {
      busy: false,
      enqueue: (path: string, args: unknown[], key: string) => (enqueued.push({ path, args, key }), Promise.resolve('queued')),
    };
    let current: typeof queue | undefined;
    const detour: CallDetour = {
      ready: new Promise<void>((resolve) => {
        loaded = () => {
          current = queue;
          resolve();
        };
      }),
      current: () => current,
    };
    const calls = new Calls(link.port, 1000, detour);
    const pending = calls.call({ idempotencyKey: 'k1' }, 'todos/add', ['milk']);
    expect(enqueued).toEqual([]);
    loaded();
    await expect(pending).resolves.toBe('queued');
    expect(enqueued).toEqual([{ path: 'todos/add', args: ['milk'], key: 'k1' }]);
    expect(link.sent).toEqual([]);
  });
});
