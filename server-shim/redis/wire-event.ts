// The one encoding of events inside Redis, shared by the engine and the standalone publisher.
import type { EventEnvelope } from '../../protocol/frames';
import { measurePublishable } from '../publishable';

/** How an event travels through Redis: JSON, short field names. */
export interface WireEvent {
  e: string;
  d?: unknown;
  /** The client publisher's opaque key. */
  s?: string;
  /** Coalesced messages: the key that replaces. */
  k?: string;
}

/** An event as it goes into the topic log and onto its channel. Data no codec can carry throws first. */
export function encodeEvent(event: string, data: unknown, sender: string | undefined, key?: string): string {
  measurePublishable(data); // data no codec can carry throws here, before Redis sees it
  const wire: WireEvent = { e: event, d: data };
  if (sender !== undefined) wire.s = sender;
  if (key !== undefined) wire.k = key;
  return JSON.stringify(wire);
}

/** Reads an event from the log or a channel; undefined when it is not one. */
export function parseEvent(payload: string): WireEvent | undefined {
  try {
    const wire = JSON.parse(payload) as WireEvent;
    return typeof wire?.e === 'string' ? wire : undefined;
  } catch {
    return undefined;
  }
}

/** The envelope clients receive for an event read from Redis. */
export function envelopeOf(topic: string, payload: string, seq?: number): EventEnvelope {
  const wire = parseEvent(payload) ?? { e: 'malformed' };
  const result: EventEnvelope = { topic, event: wire.e, data: wire.d };
  if (seq !== undefined) result.seq = seq;
  if (wire.s !== undefined) result.sender = wire.s;
  return result;
}
