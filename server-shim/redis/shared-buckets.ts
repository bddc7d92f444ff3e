import type { RateLimit } from '../rate-limit';
import { evalScript } from './eval';
import type { RedisCommander } from './topic-log';

/**
 * KEYS: the bucket. ARGV: tokens per second, burst. Returns { allowed (1 or 0), ms until the next
 * token }. Redis's own clock (TIME), so instances whose clocks differ still share one rate.
 */
const TAKE = `
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'n', 't')
local tokens, at = tonumber(state[1]) or burst, tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'n', tostring(tokens), 't', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
if allowed == 1 then return { 1, 0 } end
return { 0, math.ceil((1 - tokens) * 1000 / rate) }
`;

/**
 * Rate limits shared by every instance (the option for limits that must hold cluster-wide, such
 * as calls per user): one token bucket per key in Redis, refilled by Redis's clock, forgotten once
 * full and idle. Per-instance limits stay in memory (`KeyedBuckets`), which is the default.
 * @internal
 */
export class SharedBuckets {
  constructor(
    private readonly redis: RedisCommander,
    private readonly limit: RateLimit,
    private readonly prefix = 'ws:',
  ) {}

  /** Spends a token of `key`'s bucket if it has one; else says when the next comes. */
  async take(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
    const reply = (await evalScript(
      this.redis,
      TAKE,
      [`${this.prefix}rl:{${key}}`],
      [String(this.limit.perSecond), String(this.limit.burst)],
    )) as [number, number];
    return Number(reply[0]) === 1 ? { allowed: true } : { allowed: false, retryAfterMs: Number(reply[1]) };
  }
}
