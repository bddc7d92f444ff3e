import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryQueueStorage } from '../sdk/memory-queue-storage';
import type { QueuedCall } from '../sdk/offline-queue';
import type { RpcError } from '../sdk/rpc-error';
import { TcpProxy } from '../test-support/tcp-proxy';
import type { Context } from './context';
import { LiveError } from './live-error';
import { closeAll, connectClient, startServer, track, waitFor } from './test-support/harness';

afterEach(async () => {
  vi.useRealTimers();
  await closeAll();
});

/** A server that records every applied edit, and a client whose socket the test can cut off. */
async function offlineSetup(offline: Record<string, unknown> = {}) {
  const applied: string[] = [];
  const server = await startServer({
    api: {
      edit: (_ctx: Context, text: string) => {
        if (text === 'bad') throw new LiveError('REJECTED', 'the server says no');
        applied.push(text);
        return applied.length;
      },
    },
  });
  const proxy = track(new TcpProxy(server.port!));
  await proxy.listen();
  const storage = memoryQueueStorage();
  const makeClient = () => connectClient(`ws://127.0.0.1:${proxy.port}/ws`, { offline: { queue: true, storage, ...offline } });
  const client = makeClient();
  client.connect();
  await waitFor(() => client.status.get().state === 'open');
  const goOffline = async () => {
    proxy.refuse(true);
    proxy.cutAll();
    await waitFor(() => client.status.get().state !== 'open');
  };
  return { applied, proxy, client, storage, makeClient, goOffline };
}

describe('the durable offline queue', () => {
  it('queues calls made while disconnected and replays them in order, each once, on reconnect', async () => {
    const { applied, proxy, client, goOffline } = await offlineSetup();
    await goOffline();
    const results = Array.from({ length: 20 }, (_, i) => client.call('edit', `edit ${i}`));
    await waitFor(() => client.offlineQueue.get().length === 20);
    expect(applied).toEqual([]);
    proxy.refuse(false);
    expect(await Promise.all(results)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(applied).toEqual(Array.from({ length: 20 }, (_, i) => `edit ${i}`));
    expect(client.offlineQueue.get().length).toBe(0);
  });

  it('replays a call made while the first connection was still opening', async () => {
    const { applied, makeClient } = await offlineSetup();
    for (let i = 0; i < 5; i++) {
      const fresh = makeClient(); // not open yet: the call goes through the queue
      expect(await fresh.call('edit', `early ${i}`)).toBe(i + 1);
    }
    expect(applied).toEqual(['early 0', 'early 1', 'early 2', 'early 3', 'early 4']);
  });

  it('survives the page going away: a new client replays what the old one queued, and reports through hooks', async () => {
    const replayed: Array<[string, unknown]> = [];
    const { applied, proxy, client, makeClient, goOffline } = await offlineSetup({
      onReplay: (call: QueuedCall, result: unknown) => replayed.push([call.args[0] as string, result]),
    });
    await goOffline();
    void client.call('edit', 'written before the reload').catch(() => {});
    await waitFor(() => client.offlineQueue.get().length === 1);
    client.close(); // the tab is gone; its promises with it
    const reloaded = makeClient();
    proxy.refuse(false);
    await waitFor(() => applied.length === 1);
    await waitFor(() => reloaded.offlineQueue.get().length === 0 && replayed.length === 1);
    expect(applied).toEqual(['written before the reload']);
    expect(replayed).toEqual([['written before the reload', 1]]);
  });

  it('drops the oldest entry with QUEUE_FULL when over maxQueue', async () => {
    const { applied, proxy, client, goOffline } = await offlineSetup({ maxQueue: 2 });
    await goOffline();
    const oldest = client.call('edit', 'one');
    const rest = [client.call('edit', 'two'), client.call('edit', 'three')];
    await expect(oldest).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    proxy.refuse(false);
    await Promise.all(rest);
    expect(applied).toEqual(['two', 'three']);
  });

  it('rejects entries older than maxAge with STALE, and reports server rejections without blocking the rest', async () => {
    const errors: string[] = [];
    const { applied, proxy, client, goOffline } = await offlineSetup({
      maxAge: 1000,
      onReplayError: (_call: QueuedCall, error: RpcError) => errors.push(error.code),
    });
    await goOffline();
    // Only the clock moves (no sleep): the entry is queued now and replayed 1.1 s "later".
    vi.useFakeTimers({ toFake: ['Date'] });
    const stale = client.call('edit', 'too old');
    await waitFor(() => client.offlineQueue.get().length === 1);
    vi.setSystemTime(Date.now() + 1100);
    const rejected = client.call('edit', 'bad');
    const fine = client.call('edit', 'fine');
    proxy.refuse(false);
    await expect(stale).rejects.toMatchObject({ code: 'STALE' });
    await expect(rejected).rejects.toMatchObject({ code: 'REJECTED' });
    expect(await fine).toBe(1);
    expect(applied).toEqual(['fine']);
    expect(errors).toEqual(['STALE', 'REJECTED']);
    expect(client.offlineQueue.get().lastError?.error.code).toBe('REJECTED');
  });

  it('lets beforeReplay drop an entry', async () => {
    const { applied, proxy, client, goOffline } = await offlineSetup({ beforeReplay: (call: QueuedCall) => call.args[0] !== 'skip me' });
    await goOffline();
    const skipped = client.call('edit', 'skip me');
    const kept = client.call('edit', 'keep me');
    proxy.refuse(false);
    await expect(skipped).rejects.toMatchObject({ code: 'DROPPED' });
    await kept;
    expect(applied).toEqual(['keep me']);
  });
});
