import { describe, expect, it } from 'vitest';
import { FrameLog } from './frame-log';

describe('FrameLog', () => {
  it('keeps the newest frames, oldest first, with their size and direction', () => {
    const log = new FrameLog(3);
    log.push('out', 'a', 1);
    log.push('in', new ArrayBuffer(5), 2);
    expect(log.toArray().map(({ direction, bytes, at }) => [direction, bytes, at])).toEqual([
      ['out', 1, 1],
      ['in', 5, 2],
    ]);
    log.push('in', 'ccc', 3);
    log.push('in', 'dddd', 4);
    expect(log.toArray().map((frame) => frame.payload)).toEqual([expect.any(ArrayBuffer), 'ccc', 'dddd']);
    expect(log.size).toBe(3);
    log.clear();
    expect(log.toArray()).toEqual([]);
  });
});
