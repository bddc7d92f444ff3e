import { afterEach, describe, expect, it } from 'vitest';
import type { DeniedFrame, EventEnvelope, SubscribedFrame } from '../protocol/frames';
import { TcpProxy } from '../test-support/tcp-proxy';
import { closeAll, connectClient, startServer, track, waitFor } from './test-support/harness';

afterEach(closeAll);

function collect(client: ReturnType<typeof connectClient>, topic: string) {
  const events: EventEnvelope[] = [];
  const acks: SubscribedFrame[] = [];
  const denials: DeniedFrame[] = [];
  const stop = client.subscribe(topic, (event) => events.push(event), {
    onSubscribed: (ack) => acks.push(ack),
    onDenied: (denial) => denials.push(denial),
  });
  return { events, acks, denials, stop };
}

describe('topics over a real shim', () => {
  it('stamps a monotonic per-topic seq starting at 1', async () => {
    const server = await startServer();
    const client = connectClient(server.url);
    const chat = collect(client, 'chat');
    const news = collect(client, 'news');
    await waitFor(() => chat.acks.length && news.acks.length);
    server.publish('chat', 'msg', { text: 'a' });
    server.publish('news', 'story', 1);
    server.publish('chat', 'msg', { text: 'b' });
    await waitFor(() => chat.events.length === 2 && news.events.length === 1);
    expect(chat.events).toEqual([
      { topic: 'chat', event: 'msg', data: { text: 'a' }, seq: 1 },
      { topic: 'chat', event: 'msg', data: { text: 'b' }, seq: 2 },
    ]);
    expect(news.events).toEqual([{ topic: 'news', event: 'story', data: 1, seq: 1 }]);
  });

  it('leaves seq out when the publisher opts out', async () => {
    const server = await startServer();
    const client = connectClient(server.url);
    const ticks = collect(client, 'ticks');
    await waitFor(() => ticks.acks.length);
    expect(server.publish('ticks', 'tick', 1, { seq: false })).toBeUndefined();
    await waitFor(() => ticks.events.length);
    expect(ticks.events[0]).toEqual({ topic: 'ticks', event: 'tick', data: 1 });
  });

  it('acks with the epoch and the current seq, and JSON and msgpack clients get the same events', async () => {
    const server = await startServer();
    server.publish('room', 'before', 0);
    const jsonClient = connectClient(server.url);
    const msgpackClient = connectClient(server.url, { codec: 'msgpack' });
    const viaJson = collect(jsonClient, 'room');
    const viaMsgpack = collect(msgpackClient, 'room');
    await waitFor(() => viaJson.acks.length && viaMsgpack.acks.length);
    expect(viaJson.acks[0]).toEqual({
      type: 'subscribed',
      ref: 1,
      topic: 'room',
      epoch: expect.stringMatching(`^${server.epoch}\\.`),
      seq: 1,
      resumed: false,
    });
    server.publish('room', 'after', { n: [1, 2, 3] });
    await waitFor(() => viaJson.events.length && viaMsgpack.events.length);
    expect(viaMsgpack.events).toEqual(viaJson.events);
    expect(viaJson.events[0]).toEqual({ topic: 'room', event: 'after', data: { n: [1, 2, 3] }, seq: 2 });
  });

  it('stops delivering after unsubscribe', async () => {
    const server = await startServer();
    const client = connectClient(server.url);
    const room = collect(client, 'room');
    const other = collect(client, 'other');
    await waitFor(() => room.acks.length && other.acks.length);
    room.stop();
    server.publish('room', 'ignored', 1);
    server.publish('other', 'seen', 1);
    await waitFor(() => other.events.length);
    expect(room.events).toEqual([]);
  });

  it('denies through the access hook with its reason, and reserves __ topics', async () => {
    const server = await startServer({
      authenticate: () => ({ role: 'guest' }),
      canSubscribe: (ctx, topic) => (topic.startsWith('admin') ? `${(ctx.user as { role: string }).role} may not read ${topic}` : true),
    });
    const client = connectClient(server.url);
    const admin = collect(client, 'admin-log');
    const reserved = collect(client, '__internal');
    const open = collect(client, 'lobby');
    await waitFor(() => admin.denials.length && reserved.denials.length && open.acks.length);
    expect(admin.denials[0]).toMatchObject({ topic: 'admin-log', error: { code: 'FORBIDDEN', message: 'guest may not read admin-log' } });
    expect(reserved.denials[0]?.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/reserved/) });
    server.publish('admin-log', 'secret', 1);
    server.publish('lobby', 'hi', 1);
    await waitFor(() => open.events.length);
    expect(admin.events).toEqual([]);
  });

  it('a restarted server has a new epoch, and the client resubscribes by itself', async () => {
    const first = await startServer();
    const proxy = track(new TcpProxy(first.port!));
    await proxy.listen();
    const client = connectClient(`ws://127.0.0.1:${proxy.port}/ws`);
    const room = collect(client, 'room');
    await waitFor(() => room.acks.length);
    const firstEpoch = first.epoch;
    await first.close();
    const second = await startServer();
    proxy.retarget(second.port!);
    await waitFor(() => room.acks.length === 2, 5000);
    expect(second.epoch).not.toBe(firstEpoch);
    expect(room.acks[1]?.epoch.startsWith(`${second.epoch}.`)).toBe(true);
    second.publish('room', 'back', true);
    await waitFor(() => room.events.length);
    expect(room.events[0]).toMatchObject({ event: 'back', seq: 1 });
  });

  it('delivers point-to-point signals to one connection only', async () => {
    const server = await startServer({
      api: {
        ping: (ctx: { signal: (id: string, e: string, d: unknown) => boolean; connectionId: string }) =>
          ctx.signal(ctx.connectionId, 'pong', 42),
      },
    });
    const a = connectClient(server.url);
    const b = connectClient(server.url);
    const seenByA: unknown[] = [];
    const seenByB: unknown[] = [];
    a.onSignal((s) => seenByA.push(s));
    b.onSignal((s) => seenByB.push(s));
    await b.call('ping').catch(() => undefined);
    expect(await a.call('ping')).toBe(true);
    await waitFor(() => seenByA.length);
    expect(seenByA).toEqual([{ type: 'signal', event: 'pong', data: 42 }]);
    expect(seenByB).toHaveLength(1);
  });
});
