/** A token bucket's rate: `perSecond` on average, up to `burst` at once. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/**
 * Token-bucket limits per connection (and upgrades per IP). `false` turns one off. An action over
 * its limit is refused with RATE_LIMITED (and `retryAfterMs`) the way that action reports errors.
 */
export interface RateLimitOptions {
  /** RPC calls, batched ones included. Default 100/s, burst 200. */
  calls?: RateLimit | false;
  /**
   * Subscribes (each may run a stream loader): refused with a `denied` RATE_LIMITED. Default 20/s,
   * with a burst of `maxSubscriptionsPerConnection` (1000), so a reconnect can resubscribe everything.
   */
  subscribes?: RateLimit | false;
  /** Client publishes (`client.publish`). Default 50/s, burst 100. */
  publishes?: RateLimit | false;
  /** Heartbeat pings; pings over the limit get no pong. Default 2/s, burst 10. */
  pings?: RateLimit | false;
  /** Cursor moves. Default 30/s, burst 60. */
  cursors?: RateLimit | false;
  /** After this many refused actions in a row, the socket is closed with 4429. Default 100. */
  closeAfterRejections?: number;
  /** WebSocket upgrades per IP: `{ perSecond, burst }`, else HTTP 429. Default 20/s, burst 40. */
  upgradesPerIp?: { perSecond: number; burst: number } | false;
}

/** A token bucket: `take()` spends a token if there is one; `retryAfterMs()` says when the next comes. */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.refilledAt = now();
  }

  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  retryAfterMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  /** Full again: nothing to remember about this key. */
  get idle(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
  }
}

/** Buckets per key (an IP), swept of full ones now and then so the map stays small. */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  private takes = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  take(key: string): boolean {
    if (++this.takes % 1000 === 0) for (const [k, bucket] of this.buckets) if (bucket.idle) this.buckets.delete(k);
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.perSecond, this.burst)));
    return bucket.take();
  }
}
