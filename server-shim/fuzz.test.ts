import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { jsonCodec } from '../protocol/json-codec';
import { msgpackCodec } from '../protocol/msgpack-codec';
import type { Context } from './context';
import { stream } from './stream-definition';
import { closeAll, connectClient, startServer, waitFor } from './test-support/harness';

afterEach(closeAll);

const FRAMES_PER_CODEC = 50_000; // 100k in all
const SEED = 20261122;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Frames a hostile or broken client might send: valid shapes with wrong fields, junk, hostile keys. */
function hostileFrames(): fc.Arbitrary<unknown> {
  const anyValue = fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true });
  const topic = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__presence:x', '__proto__', 'constructor', 'healthy', ''));
  const hostileKeys = fc.constantFrom('{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}');
  return fc.oneof(
    anyValue,
    fc.record({
      type: fc.constantFrom('call', 'batch', 'subscribe', 'unsubscribe', 'ping', 'publish', 'nonsense'),
      id: anyValue,
      path: anyValue,
      args: anyValue,
      key: anyValue,
    }),
    fc.record({
      type: fc.constant('call'),
      id: fc.nat(),
      path: fc.constantFrom('echo', 'boom', 'slow', 'nope', '__stream/more', 'todos'),
      args: fc.array(anyValue, { maxLength: 3 }),
    }),
    fc.record({
      type: fc.constant('subscribe'),
      ref: fc.nat(),
      topic,
      stream: fc.boolean(),
      args: fc.array(anyValue, { maxLength: 2 }),
      resume: fc.option(fc.record({ epoch: fc.string(), seq: fc.integer() })),
    }),
    fc.record({
      type: fc.constant('batch'),
      calls: fc.array(fc.record({ id: fc.nat(), path: fc.constantFrom('echo', 'boom'), args: fc.array(anyValue, { maxLength: 2 }) }), {
        maxLength: 60,
      }),
    }),
    hostileKeys.map((json) => ({ type: 'call', id: 1, path: 'echo', args: [JSON.parse(json)] })),
    fc
      .integer({ min: 1, max: 400 })
      .map((depth) => ({ type: 'call', id: 2, path: 'echo', args: [JSON.parse('['.repeat(depth) + ']'.repeat(depth))] })),
  );
}

/** A frame encoded by `codec` as a client would (JSON now and then with a raw `__proto__` key spliced in). */
function encodeFrame(codecName: 'json' | 'msgpack', frame: unknown, variant: number): string | Uint8Array {
  const codec = codecName === 'json' ? jsonCodec : msgpackCodec;
  let encoded: string | Uint8Array | undefined;
  try {
    encoded = codec.encode(frame) ?? 'null'; // JSON.stringify(undefined) is undefined
  } catch {
    encoded = codec.encode({ type: 'unencodable' }); // BigInt and the like
  }
  const text = String(encoded);
  return codecName === 'json' && variant % 7 === 0 && text.startsWith('{"') ? `{"__proto__":{"x":1},${text.slice(1)}` : encoded;
}

/** Bytes no codec should accept as they are: truncated, bit-flipped, or over the size limit. */
function corrupt(encoded: string | Uint8Array, variant: number): Buffer {
  const bytes = Buffer.from(encoded as Uint8Array);
  switch (variant % 3) {
    case 0:
      return bytes.subarray(0, Math.max(1, bytes.length >> 1));
    case 1: {
      const copy = Buffer.from(bytes);
      copy[copy.length >> 1]! ^= 0xff;
      return copy;
    }
    default:
      return Buffer.alloc(70_000, 0x5b); // '[' × 70k: oversize, and would nest absurdly deep
  }
}

function openFuzzSocket(url: string, protocol: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocol);
    socket.on('error', () => {});
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', () => reject(new Error('upgrade refused')));
  });
}

const richPackr = new Packr({ structuredClone: true, moreTypes: true, useRecords: true, int64AsType: 'bigint' });

/** Values only msgpackr's extensions can carry, and shared-reference DAGs (2^depth paths). */
function msgpackrExtensionValues(): unknown[] {
  const dag = (depth: number) => {
    let node: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < depth; i++) node = { a: node, b: node };
    return node;
  };
  return [
    { id: 1, text: 'record' },
    2n ** 70n,
    new Set([1]),
    new Error('e'),
    /re/g,
    new Float64Array([1]),
    dag(26),
    dag(40),
    [dag(30), dag(30)],
  ];
}

/**
 * Pings the shim from a socket of its own every 10 ms and records how long each pong took: the
 * event loop stalling on one frame would show here as a long wait.
 */
async function pingMonitor(url: string): Promise<{ stop(): Promise<number[]> }> {
  const socket = await openFuzzSocket(url, 'wirestore.v1.json');
  const latencies: number[] = [];
  let sentAt = 0;
  let waiting = false;
  socket.on('message', (data) => {
    if (waiting && String(data) === '{"type":"pong"}') {
      latencies.push(performance.now() - sentAt);
      waiting = false;
    }
  });
  const timer = setInterval(() => {
    if (waiting) return;
    waiting = true;
    sentAt = performance.now();
    socket.send('{"type":"ping"}');
  }, 10);
  return {
    async stop() {
      clearInterval(timer);
      socket.terminate();
      return latencies;
    },
  };
}

describe('hostile input', () => {
  it(
    'survives 100k random and mutated frames in JSON and msgpack; a healthy client keeps every event in order',
    { timeout: 120_000 },
    async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const server = await startServer({
          // A logger that keeps nothing: the handler bugs below are logged 10k times.
          logger: { info() {}, debug() {}, warn() {}, error() {} },
          maxPayloadBytes: 64 * 1024,
          // Limits off: this test is about what each frame does, not about how many (see limits.test.ts).
          rateLimit: { calls: false, subscribes: false, publishes: false, pings: false, cursors: false, upgradesPerIp: false },
          api: {
            echo: (_ctx: Context, value: unknown) => value,
            boom: () => {
              throw new Error('handler bug');
            },
            slow: async () => new Promise((resolve) => setTimeout(resolve, 5)), // stands in for a slow handler
            todos: stream('todos', () => []),
          },
        });
        const healthy = connectClient(server.url);
        const seqs: number[] = [];
        let subscribed = false;
        healthy.subscribe('healthy', (event) => seqs.push(event.seq!), { onSubscribed: () => (subscribed = true) });
        await waitFor(() => subscribed);
        let published = 0;
        const publisher = setInterval(() => {
          server.publish('healthy', 'tick', { n: ++published });
        }, 2);

        const pings = await pingMonitor(server.url);

        collectGarbage();
        const heapBefore = process.memoryUsage().heapUsed;
        // Phase 1: well-encoded but hostile frames, the bulk, on one socket per codec (they never
        // justify closing it). Phase 2: corrupted bytes, each on its own socket, since the shim
        // closes a socket (1007, 1009) at the first one. Every loop is bounded.
        const framesBefore = server.stats.framesIn;
        let closes = 0;
        for (const codecName of ['json', 'msgpack'] as const) {
          const protocol = `wirestore.v1.${codecName}`;
          const frames = fc.sample(hostileFrames(), { numRuns: FRAMES_PER_CODEC / 5, seed: SEED });
          const phaseOneCloses: number[] = [];
          const open = async () => {
            const opened = await openFuzzSocket(server.url, protocol);
            opened.on('close', (code) => phaseOneCloses.push(code));
            return opened;
          };
          let socket = await open();
          for (let i = 0; i < FRAMES_PER_CODEC; i++) {
            if (socket.readyState !== WebSocket.OPEN) socket = await open();
            socket.send(encodeFrame(codecName, frames[i % frames.length], i));
            if (i % 200 === 0) await new Promise((resolve) => setTimeout(resolve, 1)); // paces the load
          }
          socket.terminate();
          expect([codecName, phaseOneCloses]).toEqual([codecName, []]); // well-encoded frames, however hostile, never cost the connection
          for (let i = 0; i < 150; i++) {
            const victim = await openFuzzSocket(server.url, protocol);
            const closed = new Promise<number>((resolve) => victim.once('close', resolve));
            victim.send(corrupt(encodeFrame(codecName, frames[i], i), i));
            const code = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(0), 100))]);
            if (code === 1007 || code === 1009) closes++;
            victim.terminate();
          }
        }
        // Phase 3: msgpackr's own extensions (records, references, BigInt, Set, Error, RegExp,
        // typed arrays) and shared-reference DAGs that a walk would take 2^40 steps over: each is
        // refused with 1007 before anything walks it, and the shim keeps answering pings meanwhile.
        for (const [index, value] of msgpackrExtensionValues().entries()) {
          const victim = await openFuzzSocket(server.url, 'wirestore.v1.msgpack');
          const closed = new Promise<number>((resolve) => victim.once('close', resolve));
          const frame =
            index % 2 === 0
              ? { type: 'call', id: 1, path: 'echo', args: [value] }
              : { type: 'publish', topic: 'healthy', event: 'x', data: value };
          victim.send(richPackr.pack(frame));
          expect(await closed).toBe(1007);
        }
        const pingLatencies = await pings.stop();
        // Pongs kept coming through the hostile frames. (No wall-clock bound here: the machines are
        // noisy. A frame that stalls the shim for good never gets its 1007 above, and the test's
        // own timeout fails it.)
        expect(pingLatencies.length).toBeGreaterThan(10);
        await waitFor(() => server.stats.framesIn - framesBefore >= 2 * FRAMES_PER_CODEC, 15_000);
        expect(closes).toBeGreaterThan(150); // most corruptions are refused outright (a bit flip inside a string can still decode)

        clearInterval(publisher);
        await waitFor(() => seqs.length === published, 10_000);
        expect(seqs).toEqual(Array.from({ length: published }, (_, i) => i + 1)); // every event, in order
        expect(healthy.status.get().state).toBe('open');
        expect(await healthy.call('echo', 'still fine')).toBe('still fine');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();

        await waitFor(() => server.connectionCount === 1, 10_000); // every fuzz socket is gone: only the healthy client
        collectGarbage();
        const heapGrowthMB = (process.memoryUsage().heapUsed - heapBefore) / (1024 * 1024);
        expect(heapGrowthMB).toBeLessThan(32);
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    },
  );
});
