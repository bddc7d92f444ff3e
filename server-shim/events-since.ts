import type { EventEnvelope } from '../protocol/frames';
import type { TopicPosition } from './engine';
import type { SubscribeDeps } from './subscribe-flow';

/**
 * The events after `from`, from this process's replay when it holds them, else from the engine
 * (Redis keeps every process's history; `early` is a read of it started while the topic was being
 * followed). Undefined: some are gone, and the client must reload.
 * @internal
 */
export async function eventsSince(
  deps: Pick<SubscribeDeps, 'topics' | 'replay' | 'engine'>,
  topic: string,
  from: TopicPosition,
  early: Promise<EventEnvelope[] | undefined> | undefined,
): Promise<EventEnvelope[] | undefined> {
  const { topics, replay, engine } = deps;
  const current = topics.currentSeq(topic);
  const held = replay.since(topic, from.seq, current);
  if (held) return held;
  // Ahead of this process: it got further on another one, whose events reach this one a moment
  // later. They arrive live and the client drops the ones it has.
  if (from.seq > current && !topics.ownsHistory) return [];
  const hold = topics.holdForLoad(topic);
  try {
    const upTo = hold.position.seq;
    const reaches = (events: EventEnvelope[] | undefined) => events !== undefined && (events.at(-1)?.seq ?? from.seq) >= upTo;
    let fetched = await early;
    if (!reaches(fetched)) fetched = await engine.history(topic, from)?.catch(() => undefined);
    if (!reaches(fetched) || topics.epochIfKnown(topic) !== from.epoch) return undefined;
    // Up to where this process was when it took the hold; what it received since is in its replay.
    const meanwhile = replay.since(topic, upTo, topics.currentSeq(topic));
    return meanwhile && [...fetched!.filter((event) => event.seq! <= upTo), ...meanwhile];
  } finally {
    hold.release();
  }
}
