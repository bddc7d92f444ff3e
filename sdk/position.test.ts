import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeEvent, positionAfterAck } from './position';

const at = (seq: number) => ({ epoch: 'e', seq });

describe('judgeEvent', () => {
  it('applies the next seq and moves to it at once', () => {
    expect(judgeEvent(at(4), 5)).toEqual({ verdict: 'apply', position: at(5) });
  });

  it('drops what it has seen and reports a gap without moving', () => {
    expect(judgeEvent(at(4), 4)).toEqual({ verdict: 'duplicate', position: at(4) });
    expect(judgeEvent(at(4), 2)).toEqual({ verdict: 'duplicate', position: at(4) });
    expect(judgeEvent(at(4), 6)).toEqual({ verdict: 'gap', position: at(4) });
  });

  it('applies events without a seq, and anything before a position is known', () => {
    expect(judgeEvent(at(4), undefined)).toEqual({ verdict: 'apply', position: at(4) });
    expect(judgeEvent(undefined, 9)).toEqual({ verdict: 'apply', position: undefined });
  });

  it('several events of one task are each judged against the one before: no false gap', () => {
    let position = at(10);
    const verdicts = [11, 12, 13].map((seq) => {
      const judged = judgeEvent(position, seq);
      position = judged.position!;
      return judged.verdict;
    });
    expect(verdicts).toEqual(['apply', 'apply', 'apply']);
    expect(position).toEqual(at(13));
  });

  it('never moves backwards, and applies each seq at most once, whatever the order of arrival', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 200 }), (arrivals) => {
        let position = at(0);
        const applied: number[] = [];
        for (const seq of arrivals) {
          const judged = judgeEvent(position, seq);
          expect(judged.position!.seq).toBeGreaterThanOrEqual(position.seq);
          if (judged.verdict === 'apply') applied.push(seq);
          position = judged.position!;
        }
        expect(applied).toEqual(Array.from({ length: applied.length }, (_, i) => i + 1));
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('positionAfterAck', () => {
  it('a resumed reply answering an older backfill request does not rewind the position', () => {
    expect(positionAfterAck(at(12), { epoch: 'e', seq: 9, resumed: true })).toEqual({ position: at(12), reset: false });
    expect(positionAfterAck(at(12), { epoch: 'e', seq: 14, resumed: true })).toEqual({ position: at(14), reset: false });
  });

  it('a reload or a new epoch starts over from the reply, and says so', () => {
    expect(positionAfterAck(at(12), { epoch: 'e', seq: 3, resumed: false })).toEqual({ position: at(3), reset: true });
    expect(positionAfterAck(at(12), { epoch: 'f', seq: 3, resumed: true })).toEqual({ position: { epoch: 'f', seq: 3 }, reset: true });
    expect(positionAfterAck(undefined, { epoch: 'e', seq: 3, resumed: false })).toEqual({ position: at(3), reset: false });
  });
});
