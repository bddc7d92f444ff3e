import type { Codec } from '../protocol/codec';

const JSON_EVENT_START = '{"topic":"';

/**
 * The topic of a server frame if it is a topic event, else undefined. Events are most of the
 * traffic, and the shim writes them as `{"topic":…,"event":…}` in JSON, so the topic is read
 * from the front of the text without parsing the whole event. MessagePack frames are decoded.
 */
export function eventTopic(payload: string | ArrayBuffer, codec: Codec): string | undefined {
  if (typeof payload === 'string') return jsonEventTopic(payload);
  try {
    const frame = codec.decode(payload) as { type?: unknown; topic?: unknown };
    return frame.type === undefined && typeof frame.topic === 'string' ? frame.topic : undefined;
  } catch {
    return undefined;
  }
}

/** The topic of a JSON topic event, read from the front of its text; undefined for any other frame. */
export function jsonEventTopic(payload: string): string | undefined {
  if (!payload.startsWith(JSON_EVENT_START)) return undefined;
  const end = payload.indexOf('","event":"', JSON_EVENT_START.length);
  if (end === -1) return undefined;
  const raw = payload.slice(JSON_EVENT_START.length, end);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string; // an escaped topic: rare
  } catch {
    return undefined;
  }
}
