import { describe, expect, it } from 'vitest';
import { readClientFrame } from './client-frame-guard';
import { readServerFrame } from './server-frame-guard';
import { checkStructure } from './structure';

describe('readClientFrame', () => {
  it('accepts a well-formed call whatever its key order, defaulting args to []', () => {
    expect(readClientFrame({ path: 'a/b', id: 3, type: 'call' })).toEqual({
      kind: 'frame',
      frame: { type: 'call', id: 3, path: 'a/b', args: [] },
    });
  });

  it('keeps the call id in the error for a call with bad fields', () => {
    expect(readClientFrame({ type: 'call', id: 9, path: 'x', args: {} })).toEqual({
      kind: 'invalid',
      id: 9,
      message: 'args must be an array',
    });
    expect(readClientFrame({ type: 'call', id: 9, path: 'x', key: 5 })).toMatchObject({ kind: 'invalid', id: 9 });
    expect(readClientFrame({ type: 'call', id: 1.5, path: 'x' })).toMatchObject({ kind: 'invalid', id: null });
  });

  it('treats an unknown string type as forward-compatible, and a missing type as invalid', () => {
    expect(readClientFrame({ type: 'teleport' })).toEqual({ kind: 'unknown', type: 'teleport' });
    expect(readClientFrame({ topic: 't', event: 'e' })).toMatchObject({ kind: 'invalid' });
    expect(readClientFrame(null)).toMatchObject({ kind: 'invalid' });
  });

  it('validates subscribe resume positions', () => {
    expect(readClientFrame({ type: 'subscribe', ref: 1, topic: 't', resume: { epoch: 'e', seq: 4 } })).toEqual({
      kind: 'frame',
      frame: { type: 'subscribe', ref: 1, topic: 't', args: [], resume: { epoch: 'e', seq: 4 } },
    });
    expect(readClientFrame({ type: 'subscribe', ref: 1, topic: 't', resume: { epoch: 'e', seq: -1 } })).toMatchObject({ kind: 'invalid' });
    expect(readClientFrame({ type: 'subscribe', ref: 1, topic: 'x'.repeat(257) })).toMatchObject({ kind: 'invalid' });
    expect(readClientFrame({ type: 'subscribe', topic: 't' })).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/ref/) });
    expect(readClientFrame({ type: 'subscribe', ref: 2, topic: 'todos/list', stream: true })).toMatchObject({
      kind: 'frame',
      frame: { stream: true },
    });
  });

  it('checks batch shape but leaves each call to be read on its own', () => {
    expect(readClientFrame({ type: 'batch', calls: 'no' })).toMatchObject({ kind: 'invalid' });
    expect(readClientFrame({ type: 'batch', calls: [], sequential: 'yes' })).toMatchObject({ kind: 'invalid' });
    expect(readClientFrame({ type: 'batch', calls: [1] })).toMatchObject({ kind: 'frame' });
  });
});

describe('readServerFrame', () => {
  it('recognises the typeless event envelope', () => {
    expect(readServerFrame({ seq: 1, data: 2, event: 'e', topic: 't' })).toEqual({ topic: 't', event: 'e', data: 2, seq: 1 });
    expect(readServerFrame({ topic: 't', event: 'e', data: 2 })).toBeDefined();
    expect(readServerFrame({ topic: 't', event: 'e', seq: '1' })).toBeUndefined();
  });

  it('ignores unknown types and frames with wrong field types', () => {
    expect(readServerFrame({ type: 'future-thing' })).toBeUndefined();
    expect(readServerFrame({ type: 'result', id: '1' })).toBeUndefined();
    expect(readServerFrame({ type: 'error', id: 1, error: 'x' })).toBeUndefined();
    expect(readServerFrame([1])).toBeUndefined();
  });
});

describe('checkStructure', () => {
  it('accepts ordinary data', () => {
    expect(checkStructure({ a: [1, { b: 'c' }], constructor: 'fine as data' }, 4)).toBeUndefined();
  });

  it('reports nesting past the limit without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(checkStructure(deep, 32)).toMatch(/too deep/);
  });

  it('reports an own __proto__ key anywhere', () => {
    expect(checkStructure([{ ok: { x: JSON.parse('{"__proto__": 1}') } }], 32)).toMatch(/__proto__/);
  });
});
