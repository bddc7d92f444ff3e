import type { ErrorBody } from './error-codes';

/** Bumped on any change an older peer could misread. Carried in the hello frame. */
export const PROTOCOL_VERSION = 1;

/**
 * A stream position: the topic's epoch and its last seq. Each topic has its own epoch, new when
 * the server process starts and whenever the topic's state was freed and began again: a seq is
 * only comparable within one epoch.
 */
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

/** How a stream's events fold into its value; sent by the server in the subscribe reply. */
export interface MergeConfig {
  strategy: MergeStrategyName;
  /** Key field of `crud` items. Default `id`. (`presence` and `cursor` always key by `key`.) */
  key?: string;
  /** `crud`: new items go first instead of last. */
  prepend?: boolean;
  /** `latest`: how many events to keep. Default 50. */
  max?: number;
}

export type MergeStrategyName = 'crud' | 'latest' | 'set' | 'presence' | 'cursor';

/** RPC paths a `crud` stream's store calls for `create`, `update` and `remove` (and their undo). */
export interface CrudActions {
  /** Called with the item; returns the stored item (with its real id). */
  create?: string;
  /** Called with the item. */
  update?: string;
  /** Called with the key. */
  remove?: string;
}

export interface SubscribeFrame {
  type: 'subscribe';
  /** Client-chosen number echoed in the reply, to match it with this request. */
  ref: number;
  /** A topic, or with `stream: true` the path of a stream declared on the server. */
  topic: string;
  stream?: boolean;
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

/** A client publishing to a topic directly: refused unless the server's `canPublish` allows that topic. */
export interface PublishFrame {
  type: 'publish';
  topic: string;
  event: string;
  data: unknown;
}

/** The client received coalesced batch `batch`: the server may send the next window. */
export interface AckFrame {
  type: 'ack';
  batch: number;
}

/**
 * Sent by the client as its first frame on every socket: `instance` is a random id the client
 * keeps across reconnects (and, in a browser, across reloads of the same origin). The server
 * scopes the exactly-once window of users without an `id` to it, so no other client can read or
 * evict their stored results.
 */
export interface ClientHelloFrame {
  type: 'hello';
  instance: string;
}

export type ClientFrame =
  CallFrame | BatchFrame | SubscribeFrame | UnsubscribeFrame | PingFrame | PublishFrame | AckFrame | ClientHelloFrame;

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

/**
 * The subscription is in effect. Events with `seq` greater than this one follow: the `replay`
 * inside this frame first, then live ones.
 */
export interface SubscribedFrame {
  type: 'subscribed';
  ref: number;
  /** The topic joined (for a stream, the one its topic function chose). */
  topic: string;
  epoch: string;
  /** The position the client is now at: the stream snapshot's, or the resume position. */
  seq: number;
  /** True when the server replays from the client's resume position instead of reloading. */
  resumed: boolean;
  /** Streams: how to merge events. */
  merge?: MergeConfig;
  /** Streams: the RPC paths behind the store's `create` / `update` / `remove`. */
  actions?: CrudActions;
  /** Streams, when not resumed: the loader's data follows in `data`. */
  snapshot?: boolean;
  data?: unknown;
  /** Streams with pagination: whether `loadMore` can fetch another page, and from where. */
  hasMore?: boolean;
  cursor?: unknown;
  /**
   * Events after `seq`, in order: the ones missed (when resuming) or published while the stream
   * loaded. Sent inside the reply so the client applies data and events in one pass.
   */
  replay?: EventEnvelope[];
}

/**
 * The subscription was refused. `error` says why, as a call's error would: `FORBIDDEN` (the
 * access hook refused, with its reason as the message; a reserved topic), `NOT_FOUND` (no such
 * stream), `RATE_LIMITED`, `INTERNAL_ERROR` (a loader or topic function threw something that is
 * not a `LiveError`), or whatever code a `LiveError` thrown by the loader carries.
 */
export interface DeniedFrame {
  type: 'denied';
  ref: number;
  topic: string;
  error: ErrorBody;
}

/**
 * The server ended a subscription (`server.unsubscribe`, or access re-checked and now refused).
 * Every subscription of the client on `topic` stops; `error` says why, as in `denied`.
 */
export interface UnsubscribedFrame {
  type: 'unsubscribed';
  topic: string;
  error: ErrorBody;
}

/** A point-to-point message to one connection. */
export interface SignalFrame {
  type: 'signal';
  event: string;
  data: unknown;
}

/**
 * Why the server is under pressure. `ENGINE`: the store that shares topics between server
 * processes (Redis) is unreachable; publishes fail and live events pause until it is back.
 */
export type PressureReason = 'NONE' | 'ENGINE' | 'MEMORY' | 'PUBLISH_RATE' | 'SUBSCRIBERS';

export interface PressureFrame {
  type: 'pressure';
  active: boolean;
  reason: PressureReason;
}

export interface PongFrame {
  type: 'pong';
}

/**
 * Ends each flush of coalesced sends. The client answers with `ack` for `batch`: coalesced data
 * in flight is bounded by that window, not by kernel buffers, so the newest value is never stuck
 * behind megabytes of stale ones. `superseded`: per topic, values replaced before they went out.
 */
export interface CoalescedFrame {
  type: 'coalesced';
  batch: number;
  superseded: Record<string, number>;
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
  /**
   * Client publishes only: who published, stamped by the server (the same opaque key the
   * user's presence entry carries). A client cannot set or forge it.
   */
  sender?: string;
}

export type ServerFrame =
  | HelloFrame
  | ResultFrame
  | ErrorFrame
  | SubscribedFrame
  | DeniedFrame
  | UnsubscribedFrame
  | SignalFrame
  | PressureFrame
  | PongFrame
  | CoalescedFrame
  | EventEnvelope;

/** Topics and RPC paths starting with this prefix belong to the shim; clients cannot use them. */
export const RESERVED_TOPIC_PREFIX = '__';

/** The RPC path that fetches the next page of a stream: args `[streamPath, streamArgs, cursor]`. */
export const LOAD_MORE_PATH = '__stream/more';

/** The RPC path of `client.moveCursor(topic, data)`: args `[topic, data]`. */
export const CURSOR_MOVE_PATH = '__cursor/move';

/**
 * Server requests to a user (`server.requestUser`): a `signal` with this event and data
 * {@link UserRequest}, answered by a call to {@link REPLY_PATH} with `[id, reply]`.
 */
export const REQUEST_SIGNAL = '__request';
export const REPLY_PATH = '__reply';

/** What a request signal carries: the app's event and data, and the id its reply names. */
export interface UserRequest {
  id: string;
  event: string;
  data: unknown;
}

/** A client's answer to a request: its handler's result, or the error it threw. */
export type UserReply = { ok: true; data: unknown } | { ok: false; error: ErrorBody };

/** Built-in streams: who is on a topic (`presence` merge) and their cursors (`cursor` merge); args `[topic]`. */
export const PRESENCE_STREAM = '__presence';
export const CURSORS_STREAM = '__cursors';

/** One page of a paginated stream loader, as `loadMore` receives it. */
export interface StreamPage {
  data: unknown;
  hasMore: boolean;
  cursor?: unknown;
}
