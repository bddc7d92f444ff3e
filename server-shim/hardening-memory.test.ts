import { afterEach, describe, expect, it } from 'vitest';
import type { SubscribedFrame } from '../protocol/frames';
import { LiveError } from './live-error';
import type { Context } from './context';
import { stream } from './stream-definition';
import { closeAll, connectClient, rawSocket, startServer, waitFor } from './test-support/harness';

afterEach(closeAll);

type Frame = { type?: string; id?: number; ref?: number; error?: { code: string } };

describe('one bad value never strands anyone else', () => {
  it('refuses an event no codec can carry before it takes a seq: the publisher hears why, subscribers see no gap', async () => {
    const server = await startServer({
      api: {
        big: (ctx: Context) => ctx.publish('room', 'n', { n: 2n ** 70n }),
        ok: (ctx: Context, n: number) => ctx.publish('room', 'n', { n }),
      },
    });
    const publisher = connectClient(server.url);
    const listener = connectClient(server.url);
    const seqs: number[] = [];
    listener.subscribe('room', (event) => seqs.push(event.seq!));
    await waitFor(() => listener.status.get().state === 'open');
    await publisher.call('ok', 1);
    await expect(publisher.call('big')).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/bigint at data\.n/),
    });
    await publisher.call('ok', 2);
    await waitFor(() => seqs.length === 2);
    expect(seqs).toEqual([1, 2]); // contiguous: the refused event never took a seq
    expect(server.memory.replayEvents).toBe(2);
  });

  it('refuses class instances, functions and cycles with the path of the bad value', async () => {
    const server = await startServer();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => server.publish('t', 'e', { when: new Map() })).toThrow(/instance of Map at data\.when/);
    expect(() => server.publish('t', 'e', [() => 1])).toThrow(/function at data\[0\]/);
    expect(() => server.publish('t', 'e', cyclic)).toThrow(/deeper than 64 levels/);
    expect(server.publish('t', 'e', { at: new Date(0), bytes: new Uint8Array(2) })).toBe(1);
  });

  it('answers every subscribe, even when the reply itself cannot be encoded', async () => {
    const server = await startServer({ api: { broken: stream('broken', () => ({ n: 1n })) } });
    const socket = await rawSocket(server.url);
    socket.send(JSON.stringify({ type: 'subscribe', ref: 7, topic: 'broken', stream: true }));
    await waitFor(() => socket.frames.some((frame) => (frame as Frame).ref === 7));
    expect(socket.frames.at(-1)).toMatchObject({ type: 'denied', ref: 7, error: { code: 'INTERNAL_ERROR' } });
  });
});

describe('memory bounded by bytes, and freed', () => {
  it('keeps the replay buffer within its byte budget however large the events', async () => {
    const server = await startServer({ replay: { maxTotalBytes: 4 * 1024 * 1024 } });
    const payload = 'x'.repeat(300 * 1024);
    for (let i = 0; i < 100; i++) server.publish(`big${i % 5}`, 'e', payload); // 30 MB published
    expect(server.memory.replayBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it('frees the state of topics nobody needs any more', async () => {
    const server = await startServer({ rateLimit: { subscribes: false } });
    const socket = await rawSocket(server.url);
    for (let i = 0; i < 3000; i++) {
      socket.send(JSON.stringify({ type: 'subscribe', ref: i, topic: `t${i}` }));
      socket.send(JSON.stringify({ type: 'unsubscribe', topic: `t${i}` }));
    }
    socket.send(JSON.stringify({ type: 'ping' }));
    await waitFor(() => socket.frames.some((frame) => (frame as Frame).type === 'pong'));
    expect(server.memory.topics).toBe(0);
  });

  it('a client resuming on a topic whose state was freed reloads instead of resuming over a hole', async () => {
    let items = ['a'];
    const server = await startServer({ api: { list: stream('list', () => items, { merge: 'set' }) }, replay: { maxAgeMs: 50 } });
    const socket = await rawSocket(server.url);
    socket.send(JSON.stringify({ type: 'subscribe', ref: 1, topic: 'list', stream: true }));
    await waitFor(() => socket.frames.some((frame) => (frame as Frame).ref === 1));
    const first = socket.frames.at(-1) as SubscribedFrame;
    for (let i = 0; i < 3; i++) server.publish('list', 'set', (items = [...items, `x${i}`]));
    socket.send(JSON.stringify({ type: 'unsubscribe', topic: 'list' }));
    // Nobody subscribed and the replay aged out: the topic's state is swept (once a second).
    await waitFor(() => server.memory.topics === 0, 3000);
    for (let i = 0; i < 5; i++) server.publish('list', 'set', (items = [...items, `y${i}`])); // seq 1..5 again
    socket.send(JSON.stringify({ type: 'subscribe', ref: 2, topic: 'list', stream: true, resume: { epoch: first.epoch, seq: 3 } }));
    await waitFor(() => socket.frames.some((frame) => (frame as Frame).ref === 2));
    const second = socket.frames.at(-1) as SubscribedFrame;
    expect(second.epoch).not.toBe(first.epoch);
    expect(second).toMatchObject({ resumed: false, snapshot: true, data: items });
  });

  it('keeps a quiet topic\u2019s position while a slow loader runs, across the sweeps that free unused topics', async () => {
    let loads = 0;
    const server = await startServer({
      replay: { maxAgeMs: 1 },
      api: {
        slow: stream(
          'quiet',
          async () => {
            loads++;
            // Every load outlasts a sweep: a marker event on another topic ages out only when one runs.
            server.publish('marker', 'tick', loads);
            await waitFor(() => server.memory.replayEvents === 0, 5000);
            return ['loaded'];
          },
          { merge: 'set' },
        ),
      },
    });
    const socket = await rawSocket(server.url);
    socket.send(JSON.stringify({ type: 'subscribe', ref: 1, topic: 'slow', stream: true }));
    await waitFor(() => socket.frames.some((frame) => (frame as Frame).ref === 1), 10_000);
    const ack = socket.frames.at(-1) as SubscribedFrame;
    expect(ack).toMatchObject({ type: 'subscribed', snapshot: true, data: ['loaded'] });
    expect(loads).toBe(1); // its starting position stayed valid: no reload
    // And the position it was given is the topic's real one: resuming from it works.
    server.publish('quiet', 'set', ['after']);
    socket.send(JSON.stringify({ type: 'subscribe', ref: 2, topic: 'slow', stream: true, resume: { epoch: ack.epoch, seq: ack.seq } }));
    await waitFor(() => socket.frames.some((frame) => (frame as Frame).ref === 2));
    expect(socket.frames.at(-1)).toMatchObject({ type: 'subscribed', ref: 2, resumed: true });
  });

  it('caps cursor payloads', async () => {
    const server = await startServer({ presence: { topics: () => true, maxCursorBytes: 256 } });
    const socket = await rawSocket(server.url);
    socket.send(JSON.stringify({ type: 'subscribe', ref: 1, topic: 'doc' }));
    await waitFor(() => socket.frames.some((frame) => (frame as Frame).ref === 1));
    socket.send(JSON.stringify({ type: 'call', id: 5, path: '__cursor/move', args: ['doc', { blob: 'x'.repeat(1000) }] }));
    await waitFor(() => socket.frames.some((frame) => (frame as Frame).id === 5));
    expect(socket.frames.at(-1)).toMatchObject({ type: 'error', id: 5, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('lets a LiveError from publish reach the caller as it is', async () => {
    const server = await startServer();
    let caught: unknown;
    try {
      server.publish('t', 'e', { n: 1n });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LiveError);
  });
});
