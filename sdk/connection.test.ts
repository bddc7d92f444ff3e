// Connection behaviour seen through the client: terminal closes, timeouts, heartbeat, browser signals.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from './test-support/fake-socket';
import { makeClient, settle, useFakeSockets } from './test-support/fake-client';

useFakeSockets();

describe('terminal closes', () => {
  it.each([1008, 4401, 4403])('on %i rejects every pending call at once and never retries', async (code) => {
    const client = makeClient({ callTimeoutMs: 60_000 });
    client.connect();
    await settle();
    FakeSocket.last.accept();
    const sent = client.call('a');
    const results = Promise.allSettled([sent]);
    FakeSocket.last.drop(code, 'go away');
    const [outcome] = await results;
    expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'TERMINATED', details: { closeCode: code, reason: 'go away' } } });
    expect(client.status.get()).toEqual({ state: 'terminal', code, reason: 'go away' });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('close() rejects pending calls with CLOSED and stops everything', async () => {
    const client = makeClient();
    const pending = client.call('a');
    await settle();
    client.close();
    await expect(pending).rejects.toMatchObject({ code: 'CLOSED' });
    expect(client.status.get()).toEqual({ state: 'closed' });
    await expect(client.call('b')).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('timeouts and heartbeat', () => {
  it('rejects with TIMEOUT after the per-call timeout', async () => {
    const client = makeClient({ callTimeoutMs: 1000 });
    const pending = client.call('slow');
    const outcome = Promise.allSettled([pending]);
    await settle();
    FakeSocket.last.accept();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await outcome)[0]).toMatchObject({ status: 'rejected', reason: { code: 'TIMEOUT' } });
  });

  it('pings a quiet socket and presumes it dead when nothing answers', async () => {
    const client = makeClient({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 500 });
    client.connect();
    await settle();
    FakeSocket.last.accept();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.last.sent).toEqual([{ type: 'ping' }]);
    FakeSocket.last.deliver({ type: 'pong' }); // t = 1000
    await vi.advanceTimersByTimeAsync(1000); // t = 2000: quiet for an interval again
    expect(FakeSocket.last.sent).toEqual([{ type: 'ping' }, { type: 'ping' }]);
    await vi.advanceTimersByTimeAsync(499);
    expect(client.status.get().state).toBe('open');
    await vi.advanceTimersByTimeAsync(1); // t = 2500: no answer to the second ping
    expect(client.status.get()).toMatchObject({ state: 'reconnecting', code: 4000 });
    expect(FakeSocket.instances[0]?.closedWith?.code).toBe(4000);
  });

  it('uses the heartbeat interval the server announces when the client sets none', async () => {
    const client = makeClient({ heartbeatTimeoutMs: 500 });
    client.connect();
    await settle();
    FakeSocket.last.accept({ heartbeatIntervalMs: 2000 });
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeSocket.last.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.last.sent).toEqual([{ type: 'ping' }]);
  });

  it('notices a path that dies right after traffic within interval + timeout of the last byte', async () => {
    const client = makeClient({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 500 });
    client.connect();
    await settle();
    FakeSocket.last.accept(); // t = 0
    await vi.advanceTimersByTimeAsync(10);
    FakeSocket.last.deliver({ topic: 't', event: 'e', data: 1 }); // the last byte, at t = 10
    await vi.advanceTimersByTimeAsync(1499); // t = 1509
    expect(client.status.get().state).toBe('open');
    await vi.advanceTimersByTimeAsync(1); // t = 1510 = last byte + 1000 + 500
    expect(client.status.get()).toMatchObject({ state: 'reconnecting', code: 4000 });
  });

  it('gives up on a socket that opens but never says hello', async () => {
    const client = makeClient({ heartbeatTimeoutMs: 500 });
    client.connect();
    await settle();
    FakeSocket.last.onopen?.();
    await vi.advanceTimersByTimeAsync(500);
    expect(client.status.get()).toMatchObject({ state: 'reconnecting', code: 4000 });
  });
});

describe('browser signals', () => {
  function fakeBrowser() {
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
    const nav = { onLine: true };
    vi.stubGlobal('window', win);
    vi.stubGlobal('document', doc);
    vi.stubGlobal('navigator', nav);
    return { win, doc, nav };
  }
  afterEach(() => vi.unstubAllGlobals());

  it('goes offline instead of retrying when the browser is offline, and reconnects at once when online', async () => {
    const { win, nav } = fakeBrowser();
    const client = makeClient();
    client.connect();
    await settle();
    FakeSocket.last.accept();
    nav.onLine = false;
    FakeSocket.last.drop();
    expect(client.status.get()).toEqual({ state: 'offline' });
    nav.onLine = true;
    win.dispatchEvent(new Event('online'));
    await settle();
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('reconnects at once, attempt reset, when a hidden page becomes visible', async () => {
    const { doc } = fakeBrowser();
    const client = makeClient();
    client.connect();
    await settle();
    FakeSocket.last.accept();
    for (let i = 0; i < 3; i++) {
      FakeSocket.last.drop();
      await vi.runOnlyPendingTimersAsync();
    }
    FakeSocket.last.drop();
    expect(client.status.get()).toMatchObject({ state: 'reconnecting', attempt: 4 });
    const sockets = FakeSocket.instances.length;
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(FakeSocket.instances).toHaveLength(sockets + 1);
    FakeSocket.last.drop();
    expect(client.status.get()).toMatchObject({ state: 'reconnecting', attempt: 1 });
  });
});
