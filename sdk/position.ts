import type { Position } from '../protocol/frames';

/**
 * What to do with an event, given the position a subscription has reached:
 * - `apply`: the next one (or one without a seq); the position moves to it at once, so a second
 *   event in the same task is judged against this one, not against a position still pending;
 * - `duplicate`: seen already (a replay overlapping what arrived live): drop it;
 * - `gap`: events are missing before it: drop it and backfill from the position.
 */
export type EventVerdict = 'apply' | 'duplicate' | 'gap';

/** Judges `seq` against `position` and returns the verdict with the position after it. Pure. */
export function judgeEvent(
  position: Position | undefined,
  seq: number | undefined,
): { verdict: EventVerdict; position: Position | undefined } {
  if (seq === undefined || position === undefined) return { verdict: 'apply', position };
  if (seq <= position.seq) return { verdict: 'duplicate', position };
  if (seq > position.seq + 1) return { verdict: 'gap', position };
  return { verdict: 'apply', position: { epoch: position.epoch, seq } };
}

/**
 * The position after a `subscribed` reply. Resumed in the same epoch, the position never moves
 * back: the reply may answer a backfill asked for from an older position, and the events it
 * replays that were applied meanwhile must come out as duplicates, not apply twice. Otherwise
 * (a reload, a new epoch) the reply's position is the new start, and `reset` says the data must
 * be replaced with the reply's.
 */
export function positionAfterAck(
  position: Position | undefined,
  ack: { epoch: string; seq: number; resumed: boolean },
): { position: Position; reset: boolean } {
  if (ack.resumed && position?.epoch === ack.epoch) {
    return { position: ack.seq > position.seq ? { epoch: ack.epoch, seq: ack.seq } : position, reset: false };
  }
  return { position: { epoch: ack.epoch, seq: ack.seq }, reset: position !== undefined };
}
