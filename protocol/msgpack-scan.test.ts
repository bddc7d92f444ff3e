import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { msgpackCodec } from './msgpack-codec';
import { assertPlainMsgpack, MSGPACK_MAX_NESTING } from './msgpack-scan';

const richPackr = new Packr({ structuredClone: true, moreTypes: true, useRecords: true, int64AsType: 'bigint' });

/** A value whose nodes are shared: 2^depth paths through `depth` objects. */
function sharedReferenceDag(depth: number): unknown {
  let node: Record<string, unknown> = { leaf: 'x'.repeat(10) };
  for (let i = 0; i < depth; i++) node = { a: node, b: node };
  return node;
}

describe('plain MessagePack only', () => {
  it.each([
    ['a record', { id: 1, text: 'a' }],
    ['a BigInt', { n: 2n ** 70n }],
    ['a Set', new Set([1, 2])],
    ['an Error', new Error('boom')],
    ['a RegExp', /a+/g],
    ['a typed array', new Float64Array([1, 2])],
    ['shared references', sharedReferenceDag(26)],
  ])('refuses %s (msgpackr extension) with an error, before decoding', (_name, value) => {
    const bytes = richPackr.pack(value);
    expect(() => assertPlainMsgpack(bytes)).toThrow(/extension type/);
    expect(() => msgpackCodec.decode(bytes)).toThrow(/extension type/);
  });

  it('decodes a shared-reference frame in linear time: refused at the first extension byte', () => {
    const bytes = richPackr.pack({ type: 'call', id: 1, path: 'a', args: [sharedReferenceDag(40)] });
    const started = performance.now();
    expect(() => msgpackCodec.decode(bytes)).toThrow();
    // Not a timing assertion on the machine: the DAG has 2^40 paths, so any walk would never end.
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('admits the standard timestamp extension', () => {
    const date = new Date(Date.UTC(2026, 10, 30, 3, 0, 0, 123));
    const decoded = msgpackCodec.decode(msgpackCodec.encode({ at: date })) as { at: Date };
    expect(decoded.at.getTime()).toBe(date.getTime());
  });

  it('refuses truncated input, trailing bytes, the reserved byte and huge claimed lengths', () => {
    const good = msgpackCodec.encode({ a: [1, 2, 3] }) as Uint8Array;
    expect(() => assertPlainMsgpack(good.subarray(0, good.length - 1))).toThrow(/truncated/);
    expect(() => assertPlainMsgpack(new Uint8Array([...good, 0x01]))).toThrow(/stray/);
    expect(() => assertPlainMsgpack(new Uint8Array([0xc1]))).toThrow(/reserved/);
    expect(() => assertPlainMsgpack(new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(/truncated/);
    expect(() => assertPlainMsgpack(new Uint8Array([0xdf, 0xff, 0xff, 0xff, 0xff]))).toThrow(/truncated/);
  });

  it('bounds nesting before msgpackr recurses', () => {
    const deep = new Uint8Array(MSGPACK_MAX_NESTING + 2).fill(0x91);
    deep[deep.length - 1] = 0xc0;
    expect(() => assertPlainMsgpack(deep)).toThrow(/nested deeper/);
  });

  it('admits every plain value the codec writes', () => {
    const plain = fc.jsonValue({ maxDepth: 8 });
    fc.assert(
      fc.property(plain, (value) => {
        const bytes = msgpackCodec.encode(value) as Uint8Array;
        assertPlainMsgpack(bytes);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});
