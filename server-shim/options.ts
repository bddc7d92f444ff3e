import type { Codec } from '../protocol/codec';
import type { ApiObject, Context } from './context';
import type { Engine } from './engine';
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
  /**
   * Where topics are sequenced and shared: `memoryEngine()` (the default, one process) or
   * `redisEngine({ url })` from `wirestore/redis`, which runs N processes as one.
   */
  engine?: Engine;
  /**
   * Behind `forwardUpgrades` (or another proxy on loopback): take the client's address from the
   * last `X-Forwarded-For` entry for per-IP limits and `request.ip`. Only honoured when the peer
   * is a loopback address. Default false.
   */
  trustProxy?: boolean;
  /** WebSocket route. Default `/ws`. */
  path?: string;
  /**
   * Decides at upgrade who connects: return the user data (any truthy value) to accept, or
   * `false`/`null`/`undefined` to refuse. May be async. A refused client gets its socket closed at
   * once with 4401 `unauthorized` (browsers cannot read an HTTP status of a failed upgrade, and
   * would see only a 1006 to retry forever); throw `new LiveError('FORBIDDEN', reason)` for 4403, or
   * `new LiveError('UNAUTHORIZED', reason)` for 4401 with your reason. Either is terminal for the
   * client: its pending calls reject and `client.status` says `terminal` with the code and reason.
   * Any other throw answers HTTP 500 (logged), which clients retry.
   */
  authenticate?: (request: UpgradeRequest) => User | false | null | undefined | Promise<User | false | null | undefined>;
  /**
   * Which pages may open a socket, by their `Origin` header: a list of origins
   * (`'https://app.example.com'`), a function, or `'*'` for any. Default: only the origin of the
   * request's own `Host` (the page and the socket on one site). Others get HTTP 403 at upgrade,
   * before `authenticate` runs, so a page on another site cannot use a visitor's cookies to act as
   * them (cross-site WebSocket hijacking). Clients that send no `Origin` (Node, native apps) are
   * not browsers acting for a visitor and are let through to `authenticate`.
   */
  allowedOrigins?: readonly string[] | ((origin: string, request: UpgradeRequest) => boolean) | '*';
  /** Access hook for subscriptions: `true` allows; `false` or a reason string denies. May be async. */
  canSubscribe?: (ctx: Context<User>, topic: string, args: unknown[]) => boolean | string | Promise<boolean | string>;
  /** Largest accepted frame; bigger ones close the socket with 1009. Default 1 MiB. */
  maxPayloadBytes?: number;
  /** Topics one connection may be subscribed to at once; past it, subscribes are denied (RATE_LIMITED). Default 1000. */
  maxSubscriptionsPerConnection?: number;
  /** Most calls in one batch frame. Default 50. */
  maxBatchSize?: number;
  /** Deepest nesting accepted in a decoded frame. Default 32. */
  maxDepth?: number;
  /** Heartbeat interval announced to clients. Default 25000. */
  heartbeatIntervalMs?: number;
  /** uWS idle timeout; uWS pings idle sockets before it. Default 120. */
  idleTimeoutSeconds?: number;
  /**
   * Bytes a socket may have waiting to be sent. A socket past it that has not drained since the
   * watchdog's last look (100 ms) is closed with 4008 (slow consumer): the client reconnects and
   * resumes from the replay buffer, so no reliable event is lost, and memory stays bounded. (uWS
   * itself cuts any socket at 4× this plus `replay.maxTopicBytes`.) Default 1 MiB.
   */
  maxBackpressureBytes?: number;
  /** Coalesced sends hold back while a socket has more than this buffered. Default 16 KiB. */
  coalesceHighWaterBytes?: number;
  /** Coalesced bytes in flight (sent, not yet acknowledged by the client) per connection. Default 16 KiB. */
  coalesceWindowBytes?: number;
  /** The pressure signal: thresholds and sampling interval. */
  pressure?: PressureOptions;
  /** Per-connection limits on calls, subscribes, publishes, pings and cursor moves, and per-IP upgrade limits. */
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
  maxSubscriptionsPerConnection: 1000,
  maxDepth: 32,
  heartbeatIntervalMs: 25_000,
  idleTimeoutSeconds: 120,
  maxBackpressureBytes: 1024 * 1024,
  coalesceHighWaterBytes: 16 * 1024,
  coalesceWindowBytes: 16 * 1024,
} as const;
