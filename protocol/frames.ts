import type { ErrorBody } from './error-codes';

/** Bumped on any change an older peer could misread. Carried in the hello frame. */
export const PROTOCOL_VERSION = 1;

/** A stream position: the server's epoch (one per process start) and the topic's last seq. */
export interface Position {
  epoch: string;
  seq: number;
}

/** Limits the server enforces, announced in the hello so the client can respect them. */
export interface ServerLimits {
  maxPayloadBytes: number;
  maxBatchSize: number;
  heartbeatIntervalMs: number;
}

// ---- client → server ----

/** One RPC call. `key` is an idempotency key (used by the exactly-once window). */
export interface CallFrame {
  type: 'call';
  id: number;
  path: string;
  args: unknown[];
  key?: string;
}

/** A call inside a batch: a call frame without its `type`. */
export type BatchedCall = Omit<CallFrame, 'type'>;

/** Several calls in one frame; each gets its own result or error frame. */
export interface BatchFrame {
  type: 'batch';
  calls: BatchedCall[];
  /** Run the calls one after another, in order, instead of concurrently. */
  sequential?: boolean;
}

export interface SubscribeFrame {
  type: 'subscribe';
  topic: string;
  args?: unknown[];
  /** Where the client left off; the server replays from there when it can. */
  resume?: Position;
}

export interface UnsubscribeFrame {
  type: 'unsubscribe';
  topic: string;
}

/** Heartbeat from the client; the server answers with a pong. */
export interface PingFrame {
  type: 'ping';
}

export type ClientFrame = CallFrame | BatchFrame | SubscribeFrame | UnsubscribeFrame | PingFrame;

// ---- server → client ----

export interface HelloFrame {
  type: 'hello';
  version: number;
  epoch: string;
  codec: string;
  connectionId: string;
  limits: ServerLimits;
}

export interface ResultFrame {
  type: 'result';
  id: number;
  data: unknown;
}

/** An RPC error, or (with `id: null`) an error about a frame whose call id could not be read. */
export interface ErrorFrame {
  type: 'error';
  id: number | null;
  error: ErrorBody;
}

export interface SubscribedFrame {
  type: 'subscribed';
  topic: string;
  epoch: string;
  /** The topic's seq at the moment the subscription took effect. */
  seq: number;
}

export interface DeniedFrame {
  type: 'denied';
  topic: string;
  reason: string;
}

/** A point-to-point message to one connection. */
export interface SignalFrame {
  type: 'signal';
  event: string;
  data: unknown;
}

export type PressureReason = 'NONE' | 'MEMORY' | 'PUBLISH_RATE' | 'SUBSCRIBERS';

export interface PressureFrame {
  type: 'pressure';
  active: boolean;
  reason: PressureReason;
}

export interface PongFrame {
  type: 'pong';
}

/**
 * A published event. Deliberately has no `type` field: the JSON shape is exactly
 * `{topic, event, data, seq}`, with `seq` absent when the publisher opted out.
 */
export interface EventEnvelope {
  topic: string;
  event: string;
  data: unknown;
  seq?: number;
}

export type ServerFrame =
  | HelloFrame
  | ResultFrame
  | ErrorFrame
  | SubscribedFrame
  | DeniedFrame
  | SignalFrame
  | PressureFrame
  | PongFrame
  | EventEnvelope;

/** Topics starting with this prefix belong to the shim; clients cannot subscribe to them. */
export const RESERVED_TOPIC_PREFIX = '__';
