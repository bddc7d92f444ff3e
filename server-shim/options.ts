import type { Codec } from '../protocol/codec';
import type { ApiObject, Context } from './context';
import type { IdempotencyOptions } from './idempotency';
import type { PresenceOptions } from './presence';
import type { PressureOptions } from './pressure';
import type { RateLimitOptions } from './rate-limit';
import type { ReplayOptions } from './replay-buffer';

/** What `authenticate` sees of the upgrade request (copied out before any await). */
export interface UpgradeRequest {
  url: string;
  query: string;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string>>;
  ip: string;
}

/** Logging sink; `console` by default. */
export type Logger = Pick<Console, 'info' | 'warn' | 'error' | 'debug'>;

/** Options shared by `createServer` and `attach`. */
export interface HubOptions<User = unknown> {
  /** RPC handlers: a plain object, nested objects giving paths like `todos/add`. */
  api?: ApiObject;
  /** WebSocket route. Default `/ws`. */
  path?: string;
  /**
   * Decides at upgrade who connects: return the user data (any truthy value) to accept, or
   * `false`/`null`/`undefined` to answer HTTP 401. May be async.
   */
  authenticate?: (request: UpgradeRequest) => User | false | null | undefined | Promise<User | false | null | undefined>;
  /** Access hook for subscriptions: `true` allows; `false` or a reason string denies. May be async. */
  canSubscribe?: (ctx: Context<User>, topic: string, args: unknown[]) => boolean | string | Promise<boolean | string>;
  /** Largest accepted frame; bigger ones close the socket with 1009. Default 1 MiB. */
  maxPayloadBytes?: number;
  /** Most calls in one batch frame. Default 50. */
  maxBatchSize?: number;
  /** Deepest nesting accepted in a decoded frame. Default 32. */
  maxDepth?: number;
  /** Heartbeat interval announced to clients. Default 25000. */
  heartbeatIntervalMs?: number;
  /** uWS idle timeout; uWS pings idle sockets before it. Default 120. */
  idleTimeoutSeconds?: number;
  /**
   * Bytes a socket may have waiting to be sent. Past it, the shim closes the socket with 4008
   * (slow consumer): the client reconnects and resumes from the replay buffer, so no reliable
   * event is lost, and memory stays bounded. Default 1 MiB.
   */
  maxBackpressureBytes?: number;
  /** Coalesced sends hold back while a socket has more than this buffered. Default 16 KiB. */
  coalesceHighWaterBytes?: number;
  /** Coalesced bytes in flight (sent, not yet acknowledged by the client) per connection. Default 16 KiB. */
  coalesceWindowBytes?: number;
  /** The pressure signal: thresholds and sampling interval. */
  pressure?: PressureOptions;
  /** Per-connection call limits and per-IP upgrade limits. */
  rateLimit?: RateLimitOptions;
  /** Presence and cursors on the topics you choose. */
  presence?: PresenceOptions<User>;
  /** Lets clients publish to a topic directly (`client.publish`). Default: never. */
  canPublish?: (ctx: Context<User>, topic: string, event: string, data: unknown) => boolean | Promise<boolean>;
  /** How many recent events each topic keeps for resuming clients. Default 500 events, 10 minutes. */
  replay?: ReplayOptions;
  /** The exactly-once window for calls with an idempotency key. Default 1000 keys per user, 10 minutes. */
  idempotency?: IdempotencyOptions;
  /** Extra codecs, by name (json and msgpack are built in). */
  codecs?: readonly Codec[];
  logger?: Logger;
  /** Log ignored frames and other protocol oddities. */
  debug?: boolean;
}

/** Options of `createServer`: a hub plus what a standalone server needs. */
export interface ServerOptions<User = unknown> extends HubOptions<User> {
  /** Serve static files: a folder for `/`, or `{ '/prefix/': folder }`. */
  static?: string | Readonly<Record<string, string>>;
}

export const HUB_DEFAULTS = {
  path: '/ws',
  maxPayloadBytes: 1024 * 1024,
  maxBatchSize: 50,
  maxDepth: 32,
  heartbeatIntervalMs: 25_000,
  idleTimeoutSeconds: 120,
  maxBackpressureBytes: 1024 * 1024,
  coalesceHighWaterBytes: 16 * 1024,
  coalesceWindowBytes: 16 * 1024,
} as const;
