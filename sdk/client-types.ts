import type { ReadableAtom } from 'nanostores';
import type { EventEnvelope, PressureReason, SignalFrame } from '../protocol/frames';
import type { CallArgs, CallPath, CallResult, StreamArgs, StreamPath, StreamValue, Untyped } from './api-types';
import type { BackoffOptions } from './backoff';
import type { CodecChoice } from './codec-choice';
import type { ConnectionHooks, WebSocketConstructor } from './connection';
import type { OfflineOptions, OfflineQueueState } from './offline-queue';
import type { ConnectionStatus } from './status';
import type { StreamOptions } from './stream-cache';
import type { StreamStorage } from './stream-persistence';
import type { StreamStore } from './stream-store';
import type { EventListener, SubscribeOptions } from './topic-listeners';

/** Options of {@link createClient}. Every field is optional. */
export interface ClientOptions extends ConnectionHooks {
  /**
   * WebSocket URL. Default: `/ws` on the page's origin (`wss:` on https pages). Required outside a
   * browser. A function (may be async) is called before every attempt: put a fresh token in it.
   * @example url: async () => `wss://api.example/ws?token=${await getToken()}`
   */
  url?: string | (() => string | Promise<string>);
  /** Wire codec. Default `'json'`. */
  codec?: CodecChoice;
  /** WebSocket implementation. Default: the global one. */
  WebSocket?: WebSocketConstructor;
  /** Reconnect backoff: base 3000 ms, cap 300000 ms, ±25 % jitter. */
  reconnect?: BackoffOptions;
  /** Send a heartbeat after this long without traffic. Default: the interval the server announces (25000 by default). */
  heartbeatIntervalMs?: number;
  /** Presume the socket dead if nothing arrives this long after a heartbeat (or after opening). Default 10000. */
  heartbeatTimeoutMs?: number;
  /** Default per-call timeout. Default 30000. */
  callTimeoutMs?: number;
  /** Log ignored frames and other protocol oddities. */
  debug?: boolean;
  /** The durable offline queue: `{ queue: true, maxQueue, maxAge, beforeReplay, onReplayError, onReplay }`. */
  offline?: OfflineOptions;
  /** How long an unused stream keeps its data and position for a quick return. Default 30000. */
  streamKeepMs?: number;
  /**
   * Development builds: record this client for the devtools overlay (Ctrl+Shift+L opens it) from the
   * start. Production builds (`process.env.NODE_ENV === 'production'`) drop the recorder and the
   * overlay entirely, whatever this says.
   */
  devtools?: boolean;
  /**
   * Share one socket among this app's tabs (same origin and URL): one tab, elected with a Web
   * Lock, holds it; the others reach it over a BroadcastChannel. Everything works the same from
   * every tab. When that tab closes, another takes over at once, resuming every stream and
   * resending calls in flight (they run once). Browsers without Web Locks or BroadcastChannel
   * keep a socket per tab. Default false.
   */
  shareAcrossTabs?: boolean;
  /** Where `persist` streams are stored. Default: IndexedDB via idb-keyval. */
  streamStorage?: StreamStorage;
}

/** Options of a single call. */
export interface CallOptions {
  /** Reject with `TIMEOUT` after this long. Default: the client's `callTimeoutMs`. */
  timeoutMs?: number;
  /**
   * Every call carries an idempotency key by default, so it can be retried after a lost reply
   * and the server still runs it once. A read may opt out with `false`: it then rejects with
   * `DISCONNECTED` if the socket drops mid-call, and is never queued offline.
   */
  idempotent?: boolean;
  /** Your own idempotency key, e.g. to retry across page loads. */
  idempotencyKey?: string;
}

/** The server's load signal, as last announced. */
export interface PressureState {
  active: boolean;
  reason: PressureReason;
}

/** A wirestore client. `Api` is the type of the server's API object; leave it out for untyped use. */
export interface Client<Api = unknown> {
  /** Connection state as a nanostores atom: `$status` in Svelte, `useStore(client.status)` in React. */
  readonly status: ReadableAtom<ConnectionStatus>;
  /** Whether the server reports pressure, and why. */
  readonly pressure: ReadableAtom<PressureState>;
  /** Opens the connection now. Otherwise it opens on the first call or subscription. */
  connect(): void;
  /**
   * Calls the server function at `path` with `args`.
   * @example const todo = await client.call('todos/add', 'buy milk')
   */
  call<Path extends CallPath<Api>>(path: Path, ...args: CallArgs<Api, Path>): Promise<CallResult<Api, Path>>;
  /**
   * Sends every call made inside `calls` in one frame; each still resolves or rejects on its own.
   * At most the server's `maxBatchSize` (50 by default) calls; more reject with `BATCH_TOO_LARGE`.
   * @example const [a, b] = client.batch(() => [client.call('x'), client.call('y')])
   */
  batch<Result>(calls: () => Result, options?: { sequential?: boolean }): Result;
  /** The offline queue, as a store (length 0 when the queue is off). */
  readonly offlineQueue: ReadableAtom<OfflineQueueState>;
  /** {@link Client.call} with per-call options. */
  callWith<Path extends CallPath<Api>>(options: CallOptions, path: Path, ...args: CallArgs<Api, Path>): Promise<CallResult<Api, Path>>;
  /**
   * Listens to the events published on `topic`. Returns the function that stops listening.
   * @example const stop = client.subscribe('chat', (e) => console.log(e.event, e.data, e.seq))
   */
  subscribe(topic: string, onEvent: EventListener, options?: SubscribeOptions): () => void;
  /**
   * A live store of the server stream at `path`: `undefined` while loading, then the data, kept in
   * step through reconnects. The same arguments return the same store.
   * @example const todos = client.stream('todos/list') // Svelte: {#each $todos as todo}
   */
  stream: Untyped<Api> extends true
    ? <Value = unknown>(path: string, ...args: unknown[]) => StreamStore<Value>
    : <Path extends StreamPath<Api>>(path: Path, ...args: StreamArgs<Api, Path>) => StreamStore<StreamValue<Api, Path>>;
  /** {@link Client.stream} with options: `persist` in IndexedDB, or a `merge` override. */
  streamWith: Untyped<Api> extends true
    ? <Value = unknown>(options: StreamOptions, path: string, ...args: unknown[]) => StreamStore<Value>
    : <Path extends StreamPath<Api>>(
        options: StreamOptions,
        path: Path,
        ...args: StreamArgs<Api, Path>
      ) => StreamStore<StreamValue<Api, Path>>;
  /**
   * A store of the latest raw event on `topic` (optionally only `event`), subscribed while used.
   * @example const lastPing = client.on('system', 'ping')
   */
  on(topic: string, event?: string): ReadableAtom<EventEnvelope | undefined>;
  /**
   * Who is on `topic` (a presence topic on the server): one entry per user, `{ key, ...public
   * fields }`. While the store is in use this client is on the topic too (it joins it).
   */
  presence(topic: string): StreamStore<Array<Record<string, unknown> & { key: string }>>;
  /** The cursors on `topic`: `{ key, ...data }` per user, updated at most once per throttle interval. Joins `topic` while in use. */
  cursors(topic: string): StreamStore<Array<Record<string, unknown> & { key: string }>>;
  /**
   * Moves this user's cursor on `topic`, which this client must be on (`presence(topic)` or
   * `cursors(topic)` in use, or a subscription; otherwise the console says so, once). Latest value
   * wins: one move in flight, newer ones replace the waiting one, and they are spaced out while
   * the server reports pressure.
   */
  moveCursor(topic: string, data: Record<string, unknown>): void;
  /** Publishes to a topic directly, where the server's `canPublish` allows it. Fire and forget. */
  publish(topic: string, event: string, data: unknown): void;
  /** Per topic, how many coalesced updates the server replaced before they reached this client. */
  readonly coalesced: ReadableAtom<Readonly<Record<string, number>>>;
  /** Listens to point-to-point signals sent to this connection. Returns the unsubscriber. */
  onSignal(listener: (signal: SignalFrame) => void): () => void;
  /**
   * Answers the server's `requestUser(userId, event, data)` for `event`: `handler`'s result (or
   * promise) goes back as the reply, a throw as its error. Returns the function that stops answering.
   * @example client.onRequest('confirm-payment', ({ amount }) => window.confirm(`Pay ${amount}?`))
   */
  onRequest<Data = unknown>(event: string, handler: (data: Data) => unknown): () => void;
  /** Closes for good; pending calls reject with `CLOSED`. */
  close(): void;
}
