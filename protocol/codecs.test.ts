import { decode as plainMsgpackDecode } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { codecNameFromSubprotocol, subprotocolFor } from './codec';
import { jsonCodec } from './json-codec';
import { msgpackCodec } from './msgpack-codec';

const frames = [
  {
    type: 'hello',
    version: 1,
    epoch: 'e1',
    codec: 'json',
    connectionId: '1',
    limits: { maxPayloadBytes: 1, maxBatchSize: 2, heartbeatIntervalMs: 3 },
  },
  { type: 'call', id: 1, path: 'todos/add', args: ['milk', { qty: 2, tags: ['a'] }, null, true, -1.5] },
  { topic: 'todos', event: 'created', data: { id: 'x', text: 'ünïcödé ✓' }, seq: 2 ** 40 },
  { type: 'error', id: null, error: { code: 'INVALID_REQUEST', message: 'bad' } },
];

describe.each([jsonCodec, msgpackCodec])('$name codec', (codec) => {
  it.each(frames)('round-trips %o', (frame) => {
    expect(codec.decode(codec.encode(frame) as string)).toEqual(frame);
  });

  it('reads a payload given as ArrayBuffer or Uint8Array', () => {
    const encoded = codec.encode(frames[1]);
    const bytes = typeof encoded === 'string' ? new TextEncoder().encode(encoded) : encoded;
    expect(codec.decode(bytes)).toEqual(frames[1]);
    expect(codec.decode(Uint8Array.prototype.slice.call(bytes).buffer)).toEqual(frames[1]);
  });

  it('throws on truncated input instead of returning something half-read', () => {
    const encoded = codec.encode(frames[1]);
    const truncated = typeof encoded === 'string' ? encoded.slice(0, 10) : encoded.slice(0, 10);
    expect(() => codec.decode(truncated)).toThrow();
  });
});

describe('msgpack codec', () => {
  it('writes plain MessagePack that a generic decoder reads (no records, undefined as nil)', () => {
    const bytes = msgpackCodec.encode({ a: [1, 2], b: undefined, c: 'x' }) as Uint8Array;
    expect(plainMsgpackDecode(bytes)).toEqual({ a: [1, 2], b: null, c: 'x' });
    // 0xde 0x00 0x03: a standard map16 of three entries (no msgpackr record extension).
    expect([...bytes.subarray(0, 3)]).toEqual([0xde, 0x00, 0x03]);
  });

  it('decodes binary values as copies, not views into the input', () => {
    const input = msgpackCodec.encode({ blob: new Uint8Array([1, 2, 3]) }) as Uint8Array;
    const decoded = msgpackCodec.decode(input) as { blob: Uint8Array };
    input.fill(0);
    expect([...decoded.blob]).toEqual([1, 2, 3]);
  });
});

describe('json codec', () => {
  it('rejects invalid UTF-8 in a binary frame', () => {
    expect(() => jsonCodec.decode(new Uint8Array([0x22, 0xff, 0x22]))).toThrow();
  });
});

describe('subprotocols', () => {
  it('names the codec in the subprotocol and reads it back', () => {
    expect(subprotocolFor('msgpack')).toBe('wirestore.v1.msgpack');
    expect(codecNameFromSubprotocol(' wirestore.v1.json ')).toBe('json');
    expect(codecNameFromSubprotocol('graphql-ws')).toBeUndefined();
  });
});
