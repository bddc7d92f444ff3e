import { CloseCode } from '../protocol/close-codes';
import type { RateLimitOptions, RateLimit } from './rate-limit';
import { TokenBucket } from './rate-limit';
import type { LiveSocket } from './socket-data';

/** The client actions limited per connection, each by its own token bucket. */
export type LimitedAction = 'calls' | 'subscribes' | 'publishes' | 'pings' | 'cursors';

/** A connection's buckets, made on first use, and its run of refused actions. @internal */
export interface ActionLimits {
  buckets: Partial<Record<LimitedAction, TokenBucket>>;
  refusedInARow: number;
}

/**
 * The default limits. A reconnecting client resubscribes everything at once, so the subscribe
 * burst covers every subscription a connection may hold; otherwise a reconnect would end in
 * RATE_LIMITED denials.
 */
function defaultLimits(maxSubscriptions: number): Readonly<Record<LimitedAction, RateLimit>> {
  return {
    calls: { perSecond: 100, burst: 200 },
    subscribes: { perSecond: 20, burst: maxSubscriptions },
    publishes: { perSecond: 50, burst: 100 },
    pings: { perSecond: 2, burst: 10 },
    cursors: { perSecond: 30, burst: 60 },
  };
}

/**
 * Per-connection rate limits for every kind of client action. An action over its limit is
 * refused (the caller answers RATE_LIMITED the way that action answers errors); a connection that
 * keeps going after `closeAfterRejections` refusals in a row is closed with 4429.
 * @internal
 */
export class ConnectionLimits {
  private readonly limits: Partial<Record<LimitedAction, RateLimit>> = {};
  private readonly closeAfter: number;

  constructor(options: RateLimitOptions = {}, maxSubscriptions: number) {
    const defaults = defaultLimits(maxSubscriptions);
    for (const action of Object.keys(defaults) as LimitedAction[]) {
      const chosen = options[action];
      if (chosen !== false) this.limits[action] = chosen ?? defaults[action];
    }
    this.closeAfter = options.closeAfterRejections ?? 100;
  }

  /** Spends a token for `action`; false when the connection is over its limit (or was just closed for flooding). */
  admit(ws: LiveSocket, action: LimitedAction): boolean {
    const limit = this.limits[action];
    if (!limit) return true;
    const data = ws.getUserData();
    const state = (data.limits ??= { buckets: {}, refusedInARow: 0 });
    const bucket = (state.buckets[action] ??= new TokenBucket(limit.perSecond, limit.burst));
    if (bucket.take()) {
      state.refusedInARow = 0;
      return true;
    }
    if (++state.refusedInARow > this.closeAfter && !data.closed) ws.end(CloseCode.THROTTLED, 'rate limit exceeded');
    return false;
  }

  /** When `action` may be tried again on this connection, in ms. */
  retryAfterMs(ws: LiveSocket, action: LimitedAction): number {
    return ws.getUserData().limits?.buckets[action]?.retryAfterMs() ?? 0;
  }
}
