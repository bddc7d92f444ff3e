import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { CURSOR_MOVE_PATH } from '../protocol/frames';
import { jsonCodec } from '../protocol/json-codec';
import { TcpProxy } from '../test-support/tcp-proxy';
import type { Context } from './context';
import { closeAll, connectClient, rawSocket, startServer, track, waitFor } from './test-support/harness';

afterEach(() => {
  vi.restoreAllMocks();
  return closeAll();
});

/** Resolves after the coalescer's flush, which it schedules with setImmediate, has run. */
const afterScheduledFlush = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe('coalesce-by-key', () => {
  it('keeps one pending value per key in its slot, encodes only what it sends, and resumes on drain', async () => {
    // A large backpressure limit: this test backs the socket up on purpose and must not be cut off.
    const server = await startServer({ maxBackpressureBytes: 256 * 1024 * 1024 });
    const proxy = track(new TcpProxy(server.port!));
    await proxy.listen();
    const client = connectClient(`ws://127.0.0.1:${proxy.port}/ws`);
    const received: Array<{ event: string; data: unknown }> = [];
    let subscribed = false;
    client.subscribe('doc', (event) => event.event === 'move' && received.push({ event: event.event, data: event.data }), {
      onSubscribed: () => (subscribed = true),
    });
    await waitFor(() => subscribed);
    const connectionId = (client.status.get() as { connectionId: string }).connectionId;
    // Back the socket up first, so everything after waits in the coalescer.
    proxy.stall();
    const filler = 'x'.repeat(64 * 1024);
    // More than the kernel's socket buffers hold, so uWS keeps the rest: the socket is backed up.
    for (let i = 0; i < 160; i++) server.publish('doc', 'filler', filler);
    server.sendCoalesced(connectionId, { key: 'a', topic: 'doc', event: 'move', data: { n: 0 } });
    server.sendCoalesced(connectionId, { key: 'b', topic: 'doc', event: 'move', data: { n: 0 } });
    await afterScheduledFlush(); // its attempt found the socket backed up
    const encode = vi.spyOn(jsonCodec, 'encode');
    for (let i = 1; i <= 1000; i++) server.sendCoalesced(connectionId, { key: 'a', topic: 'doc', event: 'move', data: { n: i } });
    server.sendCoalesced(connectionId, { key: 'b', topic: 'doc', event: 'move', data: { n: 1 } });
    await afterScheduledFlush();
    const movesEncodedWhileStalled = encode.mock.calls.filter(([frame]) => (frame as { event?: string }).event === 'move').length;
    expect(movesEncodedWhileStalled).toBe(0); // nothing encoded while the socket is backed up
    proxy.resume();
    await waitFor(() => received.length === 2, 10_000);
    expect(received).toEqual([
      { event: 'move', data: { n: 1000 } }, // key 'a' kept its slot ahead of 'b'
      { event: 'move', data: { n: 1 } },
    ]);
    expect(encode.mock.calls.filter(([frame]) => (frame as { event?: string }).event === 'move').length).toBe(2);
    await waitFor(() => client.coalesced.get().doc === 1001);
  });

  it('coalesces a topic-wide send per subscriber', async () => {
    const server = await startServer();
    const a = connectClient(server.url);
    const b = connectClient(server.url);
    const seen = { a: [] as unknown[], b: [] as unknown[] };
    let subscribed = 0;
    a.subscribe('cursors', (event) => seen.a.push(event.data), { onSubscribed: () => subscribed++ });
    b.subscribe('cursors', (event) => seen.b.push(event.data), { onSubscribed: () => subscribed++ });
    await waitFor(() => subscribed === 2);
    for (let i = 0; i < 100; i++) server.publishCoalesced({ key: 'ada', topic: 'cursors', event: 'update', data: { key: 'ada', x: i } });
    const last = (values: unknown[]) => (values.at(-1) as { x?: number } | undefined)?.x;
    await waitFor(() => last(seen.a) === 99 && last(seen.b) === 99);
    expect(seen.a.at(-1)).toEqual({ key: 'ada', x: 99 });
    expect(seen.b.at(-1)).toEqual({ key: 'ada', x: 99 });
    expect(seen.a.length).toBeLessThan(100);
  });
});

describe('pressure', () => {
  it('tells clients of transitions, and the snapshot is readable at any time', async () => {
    const server = await startServer({ pressure: { publishRatePerSec: 50, sampleIntervalMs: 100, memoryHeapUsedRatio: false } });
    const client = connectClient(server.url);
    client.connect();
    const transitions: string[] = [];
    track({ close: server.onPressure(({ reason }) => transitions.push(reason)) });
    await waitFor(() => client.status.get().state === 'open');
    const flood = setInterval(() => {
      for (let i = 0; i < 20; i++) server.publish('busy', 'tick', i);
    }, 10);
    await waitFor(() => client.pressure.get().active);
    expect(client.pressure.get()).toEqual({ active: true, reason: 'PUBLISH_RATE' });
    expect(server.pressure).toMatchObject({ active: true, reason: 'PUBLISH_RATE' });
    clearInterval(flood);
    await waitFor(() => !client.pressure.get().active);
    expect(transitions).toEqual(['PUBLISH_RATE', 'NONE']);
  });
});

describe('rate limits', () => {
  it('answers calls over the limit with RATE_LIMITED and retryAfterMs, and closes a flood with 4429', async () => {
    const server = await startServer({
      api: { ping: () => 'pong' },
      rateLimit: { calls: { perSecond: 5, burst: 5 }, closeAfterRejections: 20 },
    });
    const codes: number[] = [];
    const client = connectClient(server.url, { onDisconnect: ({ code }) => void codes.push(code), reconnect: { baseMs: 10, capMs: 20 } });
    const first = await Promise.allSettled(Array.from({ length: 8 }, () => client.call('ping')));
    expect(first.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const limited = first.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(limited.reason).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } });
    void Promise.allSettled(Array.from({ length: 50 }, () => client.callWith({ idempotent: false }, 'ping')));
    await waitFor(() => codes.includes(4429));
    const status = client.status.get();
    expect(status.state === 'reconnecting' && status.attempt).toBeGreaterThanOrEqual(6); // THROTTLE backs off
  });

  it('answers HTTP 429 to too many upgrades from one address', async () => {
    const server = await startServer({ rateLimit: { upgradesPerIp: { perSecond: 0.1, burst: 2 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = new WebSocket(server.url, 'wirestore.v1.json');
      socket.on('error', () => {});
      statuses.push(
        await new Promise<number>((resolve) => {
          socket.once('open', () => resolve(101));
          socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        }),
      );
      track({ close: () => socket.terminate() });
    }
    expect(statuses).toEqual([101, 101, 429]);
  });
});

describe('client publishing', () => {
  it('is refused unless canPublish allows the topic', async () => {
    const server = await startServer({ canPublish: (_ctx, topic) => topic.startsWith('chat:') });
    const sender = connectClient(server.url);
    const listener = connectClient(server.url);
    const got: unknown[] = [];
    let subscribed = 0;
    listener.subscribe('chat:lobby', (event) => got.push(event.data), { onSubscribed: () => subscribed++ });
    listener.subscribe('news', (event) => got.push(event.data), { onSubscribed: () => subscribed++ });
    sender.connect();
    await waitFor(() => sender.status.get().state === 'open' && subscribed === 2);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    sender.publish('news', 'fake', 'not allowed');
    sender.publish('chat:lobby', 'msg', 'hello');
    await waitFor(() => got.length === 1 && warn.mock.calls.length === 1);
    expect(got).toEqual(['hello']);
  });
});

describe('client publishing to the shim\u2019s own topics', () => {
  it('is refused with FORBIDDEN even when canPublish allows everything, and nothing is published', async () => {
    let asked = 0;
    const server = await startServer({ canPublish: () => ++asked > 0, presence: { topics: () => true } });
    const socket = await rawSocket(server.url);
    socket.send(JSON.stringify({ type: 'publish', topic: '__presence:room', event: 'join', data: { key: 'forged' } }));
    await waitFor(() => socket.frames.length === 2);
    expect(socket.frames[1]).toEqual({
      type: 'error',
      id: null,
      error: { code: 'FORBIDDEN', message: 'publishing to "__presence:room" is not allowed', details: { topic: '__presence:room' } },
    });
    expect(asked).toBe(0);
    expect(server.memory.replayEvents).toBe(0);
  });
});

describe('presence and cursors', () => {
  function presenceServer() {
    return startServer<{ id: string; name: string }>({
      authenticate: (request) => {
        const params = new URLSearchParams(request.query);
        return { id: params.get('user') ?? 'anon', name: params.get('name') ?? 'Anon' };
      },
      presence: {
        topics: (topic) => topic.startsWith('room:'),
        select: (user) => ({ name: user.name }),
        leaveGraceMs: 150,
        cursorIntervalMs: 20,
      },
      api: { touch: (_ctx: Context) => null },
    });
  }

  it('lists each user once however many tabs, and removes them after the last tab closes', async () => {
    const server = await presenceServer();
    const watcher = connectClient(`${server.url}?user=w&name=Watcher`);
    const members = watcher.presence('room:1'); // watching joins: the watcher is listed too
    track({ close: members.subscribe(() => {}) });
    const ada = () => members.get()?.filter((member) => member.name === 'Ada') ?? [];
    await waitFor(() => members.get()?.length === 1);
    const adaTabs = [connectClient(`${server.url}?user=ada&name=Ada`), connectClient(`${server.url}?user=ada&name=Ada`)];
    let joined = 0;
    for (const tab of adaTabs) tab.subscribe('room:1', () => {}, { onSubscribed: () => joined++ });
    await waitFor(() => joined === 2 && members.get()?.length === 2); // both tabs in, one entry
    // The key is opaque: it tells nothing of the user's id (which apps often build from emails or IPs).
    expect(ada()).toEqual([{ name: 'Ada', key: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) }]);
    expect(JSON.stringify(members.get())).not.toContain('ada');
    adaTabs[0]!.close();
    await waitFor(() => server.connectionCount === 2); // the shim saw that tab go
    // A negative check: twice the leave grace passes, and the user is still listed.
    await new Promise((resolve) => setTimeout(resolve, 300)); // the negative check's chance
    expect(ada()).toHaveLength(1); // one tab left
    adaTabs[1]!.close();
    await waitFor(() => ada().length === 0);
    expect(members.get()).toEqual([{ name: 'Watcher', key: expect.any(String) }]);
  });

  it('does not flicker when a user reloads within the grace period', async () => {
    const server = await presenceServer();
    const watcher = connectClient(`${server.url}?user=w`);
    const members = watcher.presence('room:2');
    const bobs = (value: ReadonlyArray<Record<string, unknown>> | undefined = members.get()) =>
      value?.filter((member) => member.name === 'Bob').length ?? 0;
    const seenBobs: number[] = [];
    track({ close: members.subscribe((value) => value && seenBobs.push(bobs(value))) });
    const first = connectClient(`${server.url}?user=bob&name=Bob`);
    first.subscribe('room:2', () => {});
    await waitFor(() => bobs() === 1);
    first.close();
    const reloaded = connectClient(`${server.url}?user=bob&name=Bob`);
    reloaded.subscribe('room:2', () => {});
    // A negative check: a flicker (Bob gone, then back) would show within this time.
    await new Promise((resolve) => setTimeout(resolve, 300)); // the negative check's chance
    expect(bobs()).toBe(1);
    expect(seenBobs.slice(seenBobs.indexOf(1))).not.toContain(0); // once listed, never gone
  });

  it('a presence store joins its topic, and a cursor move by a client not on the topic is refused with why', async () => {
    const server = await presenceServer();
    const alone = connectClient(`${server.url}?user=solo&name=Solo`);
    const members = alone.presence('room:4');
    track({ close: members.subscribe(() => {}) });
    await waitFor(() => members.get()?.length === 1);
    expect(members.get()).toEqual([{ name: 'Solo', key: expect.any(String) }]);
    const outsider = connectClient(`${server.url}?user=out`);
    await expect(outsider.call(CURSOR_MOVE_PATH, 'room:4', { x: 1 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/not on "room:4": join it first/),
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (let i = 0; i < 5; i++) outsider.moveCursor('room:4', { x: i });
      await waitFor(() => warn.mock.calls.length > 0);
      expect(warn).toHaveBeenCalledWith('[wirestore] moveCursor:', expect.stringMatching(/not on "room:4"/));
      outsider.moveCursor('room:4', { x: 9 });
      await expect(outsider.call('touch')).resolves.toBeNull();
      expect(warn).toHaveBeenCalledTimes(1); // said once per topic
    } finally {
      warn.mockRestore();
    }
  });

  it('shares cursors, latest value winning, and removes a cursor when its user leaves', async () => {
    const server = await presenceServer();
    const watcher = connectClient(`${server.url}?user=w`);
    const cursors = watcher.cursors('room:3');
    const members = watcher.presence('room:3');
    track({ close: cursors.subscribe(() => {}) });
    track({ close: members.subscribe(() => {}) });
    const mover = connectClient(`${server.url}?user=cy&name=Cy`);
    let joined = false;
    mover.subscribe('room:3', () => {}, { onSubscribed: () => (joined = true) });
    await waitFor(() => cursors.get() !== undefined && joined);
    for (let x = 0; x <= 200; x++) mover.moveCursor('room:3', { x, y: 1 });
    await waitFor(() => (cursors.get()?.[0] as { x?: number } | undefined)?.x === 200);
    const cyKey = (members.get() as Array<{ name?: string; key: string }>).find((member) => member.name === 'Cy')?.key;
    expect(cyKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(cursors.get()).toEqual([{ x: 200, y: 1, key: cyKey }]);
    mover.close();
    await waitFor(() => cursors.get()?.length === 0);
  });
});
