import type { ApiObject } from './context';
import type { MergeConfig, StreamPage } from '../protocol/frames';
import type { ConfirmedPublishOptions, PublishOptions } from './context';
import type { PressureSnapshot } from './pressure';

/** Traffic counters of a hub. */
export interface HubStats {
  framesIn: number;
  bytesIn: number;
  connectionsOpened: number;
  /** Publishes the engine could not take (Redis unreachable); each was also logged. */
  publishFailures: number;
}

/** What the hub holds in memory now, for dashboards and tests. */
export interface HubMemory {
  /** Topics with state (seq, epoch): subscribed, or still covered by the replay buffer. */
  topics: number;
  replayEvents: number;
  /** Estimated encoded bytes of the replay buffer. */
  replayBytes: number;
  /** Users (or client instances) with an idempotency window. */
  idempotencyScopes: number;
}

/** A message for {@link LiveHub.sendCoalesced}: `key` decides what replaces what. */
export interface CoalescedMessage {
  key: string;
  topic: string;
  event: string;
  data: unknown;
}

/** The realtime side of a server: what `attach` returns and `createServer` builds on. */
export interface LiveHub {
  /**
   * Swaps in a new API object: calls and stream loads from now on use it; connections, topics,
   * positions and replay stay. For a dev server's hot reload (see `hotServer`).
   */
  replaceApi(api: ApiObject): void;
  /** Random id of this process start. Topics each have their own epoch (see PROTOCOL.md). */
  readonly epoch: string;
  /** The engine's name: `memory` (the default) or `redis`. */
  readonly engine: string;
  /**
   * Resolves once the engine can take traffic (Redis: connected). `createServer().listen()` waits
   * for it; with `attach`, await it before opening the port.
   */
  ready(): Promise<void>;
  /** Whether uWS runs natively (false: its JS fallback, which start-up warns about). */
  readonly uwsNative: boolean;
  /** Open connections. */
  readonly connectionCount: number;
  /** Counters since start: frames and bytes received, connections accepted. */
  readonly stats: Readonly<HubStats>;
  /** What the hub holds in memory now. */
  readonly memory: HubMemory;
  /** The last pressure sample; a property read, safe in hot paths. */
  readonly pressure: PressureSnapshot;
  /** Called when the pressure reason changes (not on every sample). Returns the unsubscriber. */
  onPressure(listener: (snapshot: PressureSnapshot) => void): () => void;
  /**
   * Publishes an event to every subscriber of `topic`, stamping the topic's next seq (from 1)
   * unless `{ seq: false }`. Returns the seq stamped by the memory engine. With Redis the seq is
   * taken there, so this returns undefined and a failure is logged and counted in
   * `stats.publishFailures`: use {@link publishConfirmed} to wait for the seq or the error.
   * Data no codec can carry throws a `LiveError` at once, with either engine.
   * @example hub.publish('todos', 'created', todo)
   */
  publish(topic: string, event: string, data: unknown, options?: PublishOptions): number | undefined;
  /**
   * {@link publish}, resolving once the event is sequenced and stored for replay (with its seq),
   * or rejecting with a `LiveError` `UNAVAILABLE` when Redis cannot be reached: nothing was published,
   * unless the reply alone was lost. Give the publish an `id` to retry it safely: a retry with the
   * same id on the same topic within 10 minutes is not sent twice and resolves with the first seq.
   * @example const seq = await server.publishConfirmed('orders', 'paid', order)
   */
  publishConfirmed(topic: string, event: string, data: unknown, options?: ConfirmedPublishOptions): Promise<number | undefined>;
  /**
   * Latest-value send to one connection: a pending message with the same key is replaced in
   * place, encoding waits for the flush, and nothing is sent while the socket is backed up.
   * Not reliable: use `publish` for events that must all arrive.
   */
  sendCoalesced(connectionId: string, message: CoalescedMessage): boolean;
  /** {@link sendCoalesced} to every subscriber of `message.topic`, coalescing per subscriber. */
  publishCoalesced(message: CoalescedMessage): void;
  /** Sends a point-to-point message to one connection; false if it is gone. */
  signal(connectionId: string, event: string, data: unknown): boolean;
  /**
   * Sends a point-to-point message to every connection of the user whose `authenticate` result had
   * this `id` (each tab and device): clients get it through `client.onSignal`. Returns how many
   * connections it reached (with Redis: how many server processes), 0 when the user has none.
   * With the Redis engine it reaches the user on whichever process holds their connections.
   * @example await server.sendToUser(order.ownerId, 'order-shipped', { orderId: order.id })
   */
  sendToUser(userId: string | number, event: string, data: unknown): Promise<number>;
  /**
   * Asks the user whose `authenticate` result had this `id` (every tab and device, on whichever
   * process holds them) and resolves with the first answer their client gives through
   * `client.onRequest(event, handler)`. Rejects with a `LiveError`: `NOT_FOUND` (no open
   * connection), `TIMEOUT` (no answer within `timeoutMs`, default 10 s), or the code and message
   * of the error the client's handler threw (`REQUEST_FAILED` when it had no code).
   * @example const ok = await server.requestUser(order.ownerId, 'confirm-payment', { amount: 30 }, { timeoutMs: 30_000 })
   */
  requestUser(userId: string | number, event: string, data: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  /**
   * Closes one connection with `code` (e.g. 4401 when its session is revoked: the client stops
   * for good and rejects its pending calls). False if it is gone.
   */
  disconnect(connectionId: string, code?: number, reason?: string): boolean;
  /**
   * Ends one connection's subscription to `topic` (a topic, not a stream path: for a stream, the
   * topic its topic function chose). The client's stores and listeners on it get a denial with
   * code `FORBIDDEN` and `reason` as its message. False if there was no such subscription.
   */
  unsubscribe(connectionId: string, topic: string, reason?: string): boolean;
  /**
   * Runs `canSubscribe` again for every subscription (of one connection, or of all) and ends the
   * ones it now refuses, e.g. after a user lost access to a room. Resolves with how many ended.
   */
  recheckSubscriptions(connectionId?: string): Promise<number>;
  /**
   * The first half of a graceful shutdown: stops taking calls and client publishes (they get no
   * answer, and clients resend keyed calls to the next server), and resolves once every running
   * call has replied, or after `timeoutMs` (default 10 s). Then call `closeConnections()`.
   */
  drain(timeoutMs?: number): Promise<void>;
  /** Closes every socket with 1001 (going away) and stops the hub's timers. */
  closeConnections(): void;
  /** Lets go of the engine (Redis connections) after `closeConnections()`; `close()` of `createServer` does it. */
  stopEngine(): Promise<void>;
  /**
   * Runs a stream's loader outside any socket, for server-side rendering: hand the result to
   * the client's `store.hydrate()` and it starts with data, then resumes from `epoch`/`seq`.
   * @example const todos = await server.loadStream('todos/list', { user: locals.user })
   */
  loadStream(path: string, context: { user?: unknown }, ...args: unknown[]): Promise<LoadedStream>;
}

/** What {@link LiveHub.loadStream} returns: a first page plus the position it reflects. */
export interface LoadedStream extends StreamPage {
  topic: string;
  epoch: string;
  seq: number;
  merge: MergeConfig;
}
