/** Token-bucket limits. `false` turns one off. */
export interface RateLimitOptions {
  /** Calls per connection: `{ perSecond, burst }`. Default 100/s, burst 200. */
  calls?: { perSecond: number; burst: number } | false;
  /** After this many rate-limited calls in a row, the socket is closed with 4429. Default 100. */
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
