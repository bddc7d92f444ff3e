import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { msgpackCodec } from '../protocol/msgpack-codec';
import type { Context } from './context';
import { closeAll, closeOf, connectClient, rawSocket, startServer, waitFor } from './test-support/harness';

afterEach(closeAll);

const api = {
  echo: (_ctx: Context, value: unknown) => value,
  never: () => new Promise(() => {}),
};

describe('bad input never crashes the shim', () => {
  it('closes a socket that sends an oversize frame with 1009, and others carry on', async () => {
    const server = await startServer({ api, maxPayloadBytes: 1024 });
    const bystander = connectClient(server.url);
    await bystander.call('echo', 'warm-up');
    const offender = await rawSocket(server.url);
    const closed = closeOf(offender);
    offender.send(JSON.stringify({ type: 'call', id: 1, path: 'echo', args: ['x'.repeat(1500)] }));
    expect((await closed).code).toBe(1009);
    expect(await bystander.call('echo', 'still here')).toBe('still here');
  });

  it('cuts a frame far over the limit at the transport, before it is buffered whole', async () => {
    // The transport cap is maxPayloadBytes plus at most 64 KiB: a slow, fragmented 16 MB frame
    // can no longer park 16× the limit in the server per socket.
    const server = await startServer({ api, maxPayloadBytes: 1024 });
    const offender = await rawSocket(server.url);
    const closed = closeOf(offender);
    offender.send(JSON.stringify({ type: 'call', id: 1, path: 'echo', args: ['x'.repeat(2100)] }));
    expect((await closed).code).toBe(1006);
    expect(server.stats.framesIn).toBe(0);
  });

  it('rejects an oversize call on the client with PAYLOAD_TOO_LARGE and never sends it', async () => {
    const server = await startServer({ api, maxPayloadBytes: 1024 });
    const client = connectClient(server.url);
    await client.call('echo', 'warm-up');
    await expect(client.call('echo', 'é'.repeat(600))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(client.status.get().state).toBe('open');
    expect(await client.call('echo', 'small')).toBe('small');
  });

  it('closes with 1007 on bytes the codec cannot decode, without disturbing other clients', async () => {
    const server = await startServer({ api });
    const bystander = connectClient(server.url);
    const events: unknown[] = [];
    bystander.subscribe('t', (e) => events.push(e.data));
    await bystander.call('echo', 1);
    for (const [protocol, garbage] of [
      ['wirestore.v1.json', '{"type":"call",'],
      ['wirestore.v1.json', Buffer.from([0xff, 0xfe, 0x00])],
      ['wirestore.v1.msgpack', Buffer.from([0x92, 0x01])],
    ] as const) {
      const offender = await rawSocket(server.url, protocol);
      const closed = closeOf(offender);
      offender.send(garbage);
      expect((await closed).code).toBe(1007);
    }
    server.publish('t', 'e', 'after the garbage');
    await waitFor(() => events.length);
    expect(events).toEqual(['after the garbage']);
  });

  it('answers INVALID_REQUEST, with the call id when readable, to frames with wrong field types', async () => {
    const server = await startServer({ api });
    const socket = await rawSocket(server.url);
    const bad = [
      { type: 'call', id: 7, path: 42, args: [] },
      { type: 'call', id: 8, path: 'echo', args: 'not an array' },
      { type: 'call', id: -1, path: 'echo', args: [] },
      { type: 'subscribe', topic: '' },
      { type: 'subscribe', topic: 't', resume: { epoch: 1, seq: 'x' } },
      { type: 7 },
      [1, 2, 3],
      'a string',
    ];
    for (const frame of bad) socket.send(JSON.stringify(frame));
    await waitFor(() => socket.frames.length === 1 + bad.length);
    const errors = socket.frames.slice(1) as Array<{ type: string; id: number | null; error: { code: string; message: string } }>;
    expect(errors.every((frame) => frame.type === 'error' && frame.error.code === 'INVALID_REQUEST')).toBe(true);
    expect(errors.map((frame) => frame.id)).toEqual([7, 8, null, null, null, null, null, null]);
    expect(errors[0]?.error.message).toMatch(/path/);
  });

  it('ignores frames of unknown type, whatever their key order', async () => {
    const server = await startServer({ api });
    const socket = await rawSocket(server.url);
    socket.send('{"future":true,"type":"something-new"}');
    socket.send('{"args":["ok"],"path":"echo","id":3,"type":"call"}');
    await waitFor(() => socket.frames.length === 2);
    expect(socket.frames[1]).toEqual({ type: 'result', id: 3, data: 'ok' });
  });

  it('rejects frames nested too deep or carrying a __proto__ key', async () => {
    const server = await startServer({ api, maxDepth: 16 });
    const socket = await rawSocket(server.url);
    const nested = (depth: number) => `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`;
    socket.send(`{"type":"call","id":1,"path":"echo","args":[${nested(100)}]}`);
    socket.send('{"type":"call","id":2,"path":"echo","args":[{"__proto__":{"polluted":true}}]}');
    await waitFor(() => socket.frames.length === 3);
    expect(socket.frames.slice(1)).toMatchObject([
      { type: 'error', id: 1, error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/too deep/) } },
      { type: 'error', id: 2, error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/__proto__/) } },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Far deeper than any parser's stack: the socket may be closed, the process must live on.
    socket.send(`{"type":"call","id":3,"path":"echo","args":[${nested(200_000)}]}`);
    await waitFor(() => server.stats.framesIn >= 3 || socket.readyState !== WebSocket.OPEN); // it was read
    const client = connectClient(server.url);
    expect(await client.call('echo', 'alive')).toBe('alive');
  });

  it('renames __proto__ keys in msgpack data so nothing is polluted', async () => {
    const server = await startServer({ api });
    const client = connectClient(server.url, { codec: msgpackCodec });
    const echoed = (await client.call('echo', JSON.parse('{"__proto__":{"polluted":true},"ok":1}'))) as Record<string, unknown>;
    expect(echoed.ok).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(echoed)).toBe(Object.prototype);
  });

  it('refuses an upgrade that offers only unknown subprotocols', async () => {
    const server = await startServer({ api });
    const socket = new WebSocket(server.url, 'chat.v2');
    const status = await new Promise<number>((resolve) => socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(400);
  });
});

describe('batches', () => {
  it('answers each call of a batch on its own, a bad call not sinking the others', async () => {
    const server = await startServer({ api });
    const socket = await rawSocket(server.url);
    socket.send(
      JSON.stringify({
        type: 'batch',
        calls: [
          { id: 1, path: 'echo', args: ['a'] },
          { id: 2, path: 7 },
          { id: 3, path: 'nope', args: [] },
        ],
      }),
    );
    await waitFor(() => socket.frames.length === 4);
    const byId = Object.fromEntries((socket.frames.slice(1) as Array<{ id: number }>).map((f) => [f.id, f]));
    expect(byId[1]).toEqual({ type: 'result', id: 1, data: 'a' });
    expect(byId[2]).toMatchObject({ type: 'error', error: { code: 'INVALID_REQUEST' } });
    expect(byId[3]).toMatchObject({ type: 'error', error: { code: 'NOT_FOUND' } });
  });

  it('answers a batch over the server limit with one BATCH_TOO_LARGE, however many ids it holds', async () => {
    const server = await startServer({ api, maxBatchSize: 3 });
    const socket = await rawSocket(server.url);
    const calls = Array.from({ length: 5000 }, (_, id) => ({ id, path: 'echo', args: [id] }));
    socket.send(JSON.stringify({ type: 'batch', calls }));
    socket.send(JSON.stringify({ type: 'call', id: 9, path: 'echo', args: ['after'] }));
    await waitFor(() => socket.frames.some((frame) => (frame as { id?: number }).id === 9));
    expect(socket.frames.slice(1)).toEqual([
      {
        type: 'error',
        id: null,
        error: { code: 'BATCH_TOO_LARGE', message: 'a batch may hold at most 3 calls, got 5000', details: { calls: 5000 } },
      },
      { type: 'result', id: 9, data: 'after' },
    ]);
  });

  it('runs a sequential batch in order', async () => {
    const order: number[] = [];
    const server = await startServer({
      api: {
        step: async (_ctx: Context, n: number, delayMs: number) => {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          order.push(n);
          return n;
        },
      },
    });
    const socket = await rawSocket(server.url);
    socket.send(
      JSON.stringify({
        type: 'batch',
        sequential: true,
        calls: [
          { id: 1, path: 'step', args: [1, 30] },
          { id: 2, path: 'step', args: [2, 0] },
        ],
      }),
    );
    await waitFor(() => socket.frames.length === 3);
    expect(order).toEqual([1, 2]);
  });
});
