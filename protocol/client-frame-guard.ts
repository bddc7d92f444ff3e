import type { BatchedCall, CallFrame, ClientFrame, Position, SubscribeFrame } from './frames';
import { isRecord } from './structure';

/** Longest accepted RPC path, topic name and idempotency key, in characters. */
export const MAX_PATH_LENGTH = 256;
export const MAX_TOPIC_LENGTH = 256;
export const MAX_KEY_LENGTH = 128;

/**
 * The outcome of reading one decoded client frame:
 * - `frame`: well formed;
 * - `invalid`: a known type with wrong fields; reply with an error (to `id` when it was readable);
 * - `unknown`: a frame type this version does not know; ignore it (forward compatible).
 */
export type ClientFrameReading =
  { kind: 'frame'; frame: ClientFrame } | { kind: 'invalid'; id: number | null; message: string } | { kind: 'unknown'; type: unknown };

/** A client instance id: random, URL-safe, long enough that nobody guesses another's. */
const INSTANCE_ID = /^[A-Za-z0-9_-]{16,64}$/;

function isCallId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isName(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength;
}

/** Why a call is invalid, with its id when that much was readable. */
export interface InvalidCall {
  id: number | null;
  message: string;
}

/**
 * Checks one call (top-level or inside a batch) in place and returns it typed, or why it is
 * invalid. No copy is made: this runs on every call, and the decoded object is ours already.
 */
export function readCall(raw: unknown): BatchedCall | InvalidCall {
  if (!isRecord(raw)) return { id: null, message: 'a call must be an object' };
  const id = isCallId(raw.id) ? raw.id : null;
  if (id === null) return { id, message: 'call id must be a non-negative integer' };
  if (!isName(raw.path, MAX_PATH_LENGTH)) return { id, message: `path must be a string of 1 to ${MAX_PATH_LENGTH} characters` };
  if (raw.args === undefined) raw.args = [];
  else if (!Array.isArray(raw.args)) return { id, message: 'args must be an array' };
  if (raw.key !== undefined && !isName(raw.key, MAX_KEY_LENGTH)) {
    return { id, message: `key must be a string of 1 to ${MAX_KEY_LENGTH} characters` };
  }
  return raw as unknown as BatchedCall;
}

/** Narrows the result of {@link readCall}. */
export function isInvalidCall(call: BatchedCall | InvalidCall): call is InvalidCall {
  return 'message' in call && !('path' in call);
}

function readPosition(raw: unknown): Position | undefined {
  if (!isRecord(raw)) return undefined;
  const { epoch, seq } = raw;
  if (typeof epoch !== 'string' || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { epoch, seq };
}

/**
 * Validates a decoded client frame field by field. Never depends on key order; never throws.
 * Batched calls are checked one by one by the dispatcher, so one bad call cannot sink the others.
 */
export function readClientFrame(raw: unknown): ClientFrameReading {
  if (!isRecord(raw)) return { kind: 'invalid', id: null, message: 'a frame must be an object' };
  switch (raw.type) {
    case 'call': {
      const call = readCall(raw);
      return isInvalidCall(call) ? { kind: 'invalid', ...call } : { kind: 'frame', frame: call as CallFrame };
    }
    case 'batch': {
      if (!Array.isArray(raw.calls)) return { kind: 'invalid', id: null, message: 'batch.calls must be an array' };
      if (raw.sequential !== undefined && typeof raw.sequential !== 'boolean') {
        return { kind: 'invalid', id: null, message: 'batch.sequential must be a boolean' };
      }
      return { kind: 'frame', frame: { type: 'batch', calls: raw.calls as BatchedCall[], sequential: raw.sequential === true } };
    }
    case 'subscribe': {
      if (!isCallId(raw.ref)) return { kind: 'invalid', id: null, message: 'subscribe.ref must be a non-negative integer' };
      if (!isName(raw.topic, MAX_TOPIC_LENGTH))
        return { kind: 'invalid', id: null, message: `topic must be a string of 1 to ${MAX_TOPIC_LENGTH} characters` };
      if (raw.stream !== undefined && typeof raw.stream !== 'boolean')
        return { kind: 'invalid', id: null, message: 'subscribe.stream must be a boolean' };
      if (raw.args !== undefined && !Array.isArray(raw.args))
        return { kind: 'invalid', id: null, message: 'subscribe.args must be an array' };
      const resume = raw.resume === undefined ? undefined : readPosition(raw.resume);
      if (raw.resume !== undefined && resume === undefined) {
        return { kind: 'invalid', id: null, message: 'subscribe.resume must be {epoch: string, seq: integer ≥ 0}' };
      }
      const frame: SubscribeFrame = { type: 'subscribe', ref: raw.ref, topic: raw.topic, args: (raw.args as unknown[] | undefined) ?? [] };
      if (raw.stream === true) frame.stream = true;
      if (resume) frame.resume = resume;
      return { kind: 'frame', frame };
    }
    case 'unsubscribe':
      if (!isName(raw.topic, MAX_TOPIC_LENGTH))
        return { kind: 'invalid', id: null, message: 'unsubscribe.topic must be a non-empty string' };
      return { kind: 'frame', frame: { type: 'unsubscribe', topic: raw.topic } };
    case 'ping':
      return { kind: 'frame', frame: { type: 'ping' } };
    case 'ack':
      if (!isCallId(raw.batch)) return { kind: 'invalid', id: null, message: 'ack.batch must be a non-negative integer' };
      return { kind: 'frame', frame: { type: 'ack', batch: raw.batch } };
    case 'publish':
      if (!isName(raw.topic, MAX_TOPIC_LENGTH)) return { kind: 'invalid', id: null, message: 'publish.topic must be a non-empty string' };
      if (!isName(raw.event, MAX_PATH_LENGTH)) return { kind: 'invalid', id: null, message: 'publish.event must be a non-empty string' };
      return { kind: 'frame', frame: { type: 'publish', topic: raw.topic, event: raw.event, data: raw.data } };
    case 'hello':
      if (typeof raw.instance !== 'string' || !INSTANCE_ID.test(raw.instance))
        return { kind: 'invalid', id: null, message: 'hello.instance must be 16 to 64 characters of [A-Za-z0-9_-]' };
      return { kind: 'frame', frame: { type: 'hello', instance: raw.instance } };
    default:
      if (typeof raw.type === 'string') return { kind: 'unknown', type: raw.type };
      return { kind: 'invalid', id: isCallId(raw.id) ? raw.id : null, message: 'frame.type must be a string' };
  }
}
