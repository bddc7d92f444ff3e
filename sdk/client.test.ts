import { describe, expect, it, vi } from 'vitest';
import { createClient } from './client';
import { FakeSocket } from './test-support/fake-socket';
import { makeClient, settle, useFakeSockets } from './test-support/fake-client';

useFakeSockets();

describe('connecting', () => {
  it('opens nothing until first used, then offers the JSON subprotocol', async () => {
    const client = makeClient();
    await settle();
    expect(FakeSocket.instances).toHaveLength(0);
    expect(client.status.get()).toEqual({ state: 'idle' });
    client.connect();
    await settle();
    expect(FakeSocket.last.protocols).toBe('wirestore.v1.json');
    expect(client.status.get().state).toBe('connecting');
    FakeSocket.last.accept();
    expect(client.status.get()).toEqual({ state: 'open', epoch: 'epoch-1', connectionId: '1' });
  });

  it('holds calls made before the hello and sends them once open', async () => {
    const client = makeClient();
    const result = client.call('math/add', 1, 2);
    await settle();
    expect(FakeSocket.last.sent).toEqual([]);
    FakeSocket.last.accept();
    expect(FakeSocket.last.sent).toEqual([{ type: 'call', id: 1, path: 'math/add', args: [1, 2], key: expect.any(String) }]);
    FakeSocket.last.deliver({ type: 'result', id: 1, data: 3 });
    await expect(result).resolves.toBe(3);
  });

  it('derives the URL from the page origin, wss on https', async () => {
    vi.stubGlobal('location', { protocol: 'https:', host: 'app.example:8443' });
    try {
      createClient({ WebSocket: FakeSocket.asConstructor() }).connect();
      await settle();
      expect(FakeSocket.last.url).toBe('wss://app.example:8443/ws');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('ignores unknown and malformed frames from the server', async () => {
    const client = makeClient({ debug: false });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const pending = client.call('x');
    await settle();
    FakeSocket.last.accept();
    FakeSocket.last.deliver({ type: 'from-the-future', x: 1 });
    FakeSocket.last.deliver({ type: 'result', id: 'not a number' });
    FakeSocket.last.deliver('not json at all {');
    FakeSocket.last.deliver({ type: 'result', id: 1, data: 'ok' });
    await expect(pending).resolves.toBe('ok');
  });
});

describe('batching', () => {
  it('sends the calls made inside batch() as one frame', async () => {
    const client = makeClient();
    client.connect();
    await settle();
    FakeSocket.last.accept();
    const [a, b] = client.batch(() => [client.call('a', 1), client.call('b', 2)], { sequential: true });
    expect(FakeSocket.last.sent).toEqual([
      {
        type: 'batch',
        sequential: true,
        calls: [
          { id: 1, path: 'a', args: [1], key: expect.any(String) },
          { id: 2, path: 'b', args: [2], key: expect.any(String) },
        ],
      },
    ]);
    FakeSocket.last.deliver({ type: 'result', id: 2, data: 'B' });
    FakeSocket.last.deliver({ type: 'error', id: 1, error: { code: 'NOPE', message: 'no' } });
    await expect(b).resolves.toBe('B');
    await expect(a).rejects.toMatchObject({ code: 'NOPE' });
  });
});

describe('reconnecting', () => {
  it('retries with the backoff curve and resets the attempt counter on open', async () => {
    const client = makeClient();
    client.connect();
    await settle();
    FakeSocket.last.accept();
    FakeSocket.last.drop(1006);
    expect(client.status.get()).toMatchObject({ state: 'reconnecting', attempt: 1, code: 1006 });
    await vi.advanceTimersByTimeAsync(2999);
    expect(FakeSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.last.drop(1006); // fails again before opening: 3000 · 2.2
    await vi.advanceTimersByTimeAsync(6599);
    expect(FakeSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.instances).toHaveLength(3);
    FakeSocket.last.accept();
    FakeSocket.last.drop(1001);
    await vi.advanceTimersByTimeAsync(3000); // back to the base delay
    expect(FakeSocket.instances).toHaveLength(4);
  });

  it('waits at least attempt 5 of the curve after a 4429 throttle close', async () => {
    const client = makeClient();
    client.connect();
    await settle();
    FakeSocket.last.accept();
    FakeSocket.last.drop(4429, 'slow down');
    const status = client.status.get();
    expect(status.state === 'reconnecting' && status.nextRetryAt - Date.now()).toBeCloseTo(3000 * 2.2 ** 5);
  });

  it('resubscribes every topic after a reconnect, with its resume position', async () => {
    const client = makeClient();
    const events: unknown[] = [];
    client.subscribe('chat', (event) => events.push(event.data));
    await settle();
    FakeSocket.last.accept();
    expect(FakeSocket.last.sent).toEqual([{ type: 'subscribe', ref: 1, topic: 'chat', args: [] }]);
    FakeSocket.last.deliver({ type: 'subscribed', ref: 1, topic: 'chat', epoch: 'epoch-1', seq: 4, resumed: false });
    FakeSocket.last.deliver({ topic: 'chat', event: 'msg', data: 'hi', seq: 5 });
    FakeSocket.last.drop();
    await vi.advanceTimersByTimeAsync(3000);
    FakeSocket.last.accept();
    expect(FakeSocket.last.sent).toEqual([{ type: 'subscribe', ref: 1, topic: 'chat', args: [], resume: { epoch: 'epoch-1', seq: 5 } }]);
    expect(events).toEqual(['hi']);
  });

  it('says hello first on every socket, with one instance id kept across reconnects', async () => {
    const client = makeClient();
    client.connect();
    await settle();
    FakeSocket.last.accept();
    const first = FakeSocket.last.hello?.instance;
    expect(first).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    FakeSocket.last.drop();
    await vi.advanceTimersByTimeAsync(3000);
    FakeSocket.last.accept();
    expect(FakeSocket.last.hello?.instance).toBe(first);
  });

  it('tells raw listeners when a resubscription could not resume, so nothing is skipped silently', async () => {
    const client = makeClient();
    const resets: unknown[] = [];
    client.subscribe('chat', () => {}, { onReset: (reset) => resets.push(reset) });
    await settle();
    FakeSocket.last.accept();
    FakeSocket.last.deliver({ type: 'subscribed', ref: 1, topic: 'chat', epoch: 'e1', seq: 4, resumed: false });
    FakeSocket.last.drop();
    await vi.advanceTimersByTimeAsync(3000);
    FakeSocket.last.accept();
    const missed = { topic: 'chat', event: 'msg', data: 'x', seq: 5 };
    FakeSocket.last.deliver({ type: 'subscribed', ref: 1, topic: 'chat', epoch: 'e1', seq: 4, resumed: true, replay: [missed] });
    expect(resets).toEqual([]); // resumed: the replay carries what was missed
    FakeSocket.last.drop();
    await vi.advanceTimersByTimeAsync(3000);
    FakeSocket.last.accept();
    FakeSocket.last.deliver({ type: 'subscribed', ref: 1, topic: 'chat', epoch: 'e2', seq: 3, resumed: false });
    expect(resets).toEqual([{ from: { epoch: 'e1', seq: 5 }, to: { epoch: 'e2', seq: 3 } }]);
  });

  it('ends every listener of a topic the server unsubscribes, and a later subscribe starts afresh', async () => {
    const client = makeClient();
    const denials: unknown[] = [];
    client.subscribe('room', () => {}, { onDenied: (denial) => denials.push(denial.error.message) });
    await settle();
    FakeSocket.last.accept();
    FakeSocket.last.deliver({ type: 'subscribed', ref: 1, topic: 'room', epoch: 'e1', seq: 0, resumed: false });
    FakeSocket.last.deliver({ type: 'unsubscribed', topic: 'room', error: { code: 'FORBIDDEN', message: 'kicked' } });
    expect(denials).toEqual(['kicked']);
    client.subscribe('room', () => {});
    expect(FakeSocket.last.sent.at(-1)).toEqual({ type: 'subscribe', ref: 2, topic: 'room', args: [] });
  });

  it('resends keyed calls in flight on the next socket, rejects unkeyed ones with DISCONNECTED', async () => {
    const client = makeClient({ callTimeoutMs: 60_000 });
    client.connect();
    await settle();
    FakeSocket.last.accept();
    const keyed = client.call('a');
    const unkeyed = client.callWith({ idempotent: false }, 'read');
    const firstKey = (FakeSocket.last.sent[0] as { key: string }).key;
    FakeSocket.last.drop();
    const queued = client.call('b');
    await expect(unkeyed).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await vi.advanceTimersByTimeAsync(3000);
    FakeSocket.last.accept();
    expect(FakeSocket.last.sent).toEqual([
      { type: 'call', id: 1, path: 'a', args: [], key: firstKey },
      { type: 'call', id: 3, path: 'b', args: [], key: expect.any(String) },
    ]);
    FakeSocket.last.deliver({ type: 'result', id: 1, data: 'A' });
    FakeSocket.last.deliver({ type: 'result', id: 3, data: 'B' });
    await expect(keyed).resolves.toBe('A');
    await expect(queued).resolves.toBe('B');
  });

  it('awaits beforeReconnect before each retry, and survives it throwing', async () => {
    const order: string[] = [];
    const client = makeClient({
      beforeReconnect: async ({ attempt }) => {
        order.push(`before ${attempt}`);
        throw new Error('token refresh failed');
      },
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    client.connect();
    await settle();
    FakeSocket.last.accept();
    FakeSocket.last.drop();
    await vi.advanceTimersByTimeAsync(3000);
    expect(order).toEqual(['before 1']);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('calls onConnect and onDisconnect, and a throwing hook breaks nothing', async () => {
    const seen: string[] = [];
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = makeClient({
      onConnect: () => {
        seen.push('connect');
        throw new Error('oops');
      },
      onDisconnect: ({ code, willReconnect }) => void seen.push(`disconnect ${code} ${willReconnect}`),
    });
    client.connect();
    await settle();
    FakeSocket.last.accept();
    FakeSocket.last.drop(1001);
    expect(seen).toEqual(['connect', 'disconnect 1001 true']);
  });
});

describe('raw topics', () => {
  it('backfills a gap on the live connection at once, and drops what it has seen', async () => {
    const client = makeClient();
    const seqs: number[] = [];
    client.subscribe('chat', (event) => seqs.push(event.seq!));
    await settle();
    FakeSocket.last.accept();
    FakeSocket.last.deliver({ type: 'subscribed', ref: 1, topic: 'chat', epoch: 'epoch-1', seq: 4, resumed: false });
    FakeSocket.last.deliver({ topic: 'chat', event: 'msg', data: 5, seq: 5 });
    FakeSocket.last.deliver({ topic: 'chat', event: 'msg', data: 5, seq: 5 });
    FakeSocket.last.sent.length = 0;
    FakeSocket.last.deliver({ topic: 'chat', event: 'msg', data: 8, seq: 8 });
    expect(FakeSocket.last.sent).toEqual([{ type: 'subscribe', ref: 1, topic: 'chat', args: [], resume: { epoch: 'epoch-1', seq: 5 } }]);
    const replay = [6, 7, 8].map((seq) => ({ topic: 'chat', event: 'msg', data: seq, seq }));
    FakeSocket.last.deliver({ type: 'subscribed', ref: 1, topic: 'chat', epoch: 'epoch-1', seq: 5, resumed: true, replay });
    expect(seqs).toEqual([5, 6, 7, 8]);
  });
});
