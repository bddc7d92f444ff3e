import { evalScript } from './eval';
import type { RedisCommander } from './topic-log';

/**
 * Per presence topic T (hash tag {T}):
 *   <p>pr:{T}:z  ZSET  connection → when it expires (ms), refreshed by its instance
 *   <p>pr:{T}:c  HASH  connection → the user it belongs to
 *   <p>pr:{T}:n  HASH  user → how many connections, over every instance and tab
 *   <p>pr:{T}:d  HASH  user → the public data others see
 * A user is listed once however many connections they have; they join with the first and leave
 * with the last, or when the instance holding their connections stops refreshing them.
 */

/** KEYS: z, c, n, d. ARGV: connection, user, data, expires at. Returns 1 when the user joined (first connection). */
const JOIN = `
local added = redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
if added == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return redis.call('HINCRBY', KEYS[3], ARGV[2], 1) == 1 and 1 or 0
`;

/** Removes connections (ARGV[2..]) if present; ARGV[1]: only those expired before this time ('' for any). Returns the users who left. */
const LEAVE = `
local left = {}
local function remove(connection)
  local user = redis.call('HGET', KEYS[2], connection)
  redis.call('ZREM', KEYS[1], connection)
  redis.call('HDEL', KEYS[2], connection)
  if user and redis.call('HINCRBY', KEYS[3], user, -1) <= 0 then
    redis.call('HDEL', KEYS[3], user)
    redis.call('HDEL', KEYS[4], user)
    left[#left + 1] = user
  end
end
if ARGV[1] ~= '' then
  for _, connection in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, 1000)) do remove(connection) end
end
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then remove(ARGV[i]) end
end
return left
`;

export interface SharedPresenceOptions {
  /** A connection not refreshed for this long is taken for gone, with its instance (ms). Default 15 s. */
  expiryMs?: number;
  prefix?: string;
}

/**
 * Presence across instances, in Redis: one entry per user on a topic, however many tabs and
 * instances they are connected through. Each instance refreshes its own connections
 * (`refresh`, every few seconds) and sweeps expired ones on the topics it serves (`sweep`), so the
 * users of an instance that died leave within `expiryMs`. Joins and leaves are returned to the
 * caller, which publishes them on the topic's presence stream.
 * @internal
 */
export class SharedPresence {
  readonly #expiryMs: number;
  readonly #prefix: string;

  constructor(
    private readonly redis: RedisCommander,
    options: SharedPresenceOptions = {},
  ) {
    this.#expiryMs = options.expiryMs ?? 15_000;
    this.#prefix = options.prefix ?? 'ws:';
  }

  /** Lists the connection; true when its user was not on the topic before (publish a join). */
  async join(topic: string, connection: string, user: string, data: unknown, now = Date.now()): Promise<boolean> {
    const joined = await evalScript(this.redis, JOIN, this.#keys(topic), [
      connection,
      user,
      JSON.stringify(data ?? {}),
      String(now + this.#expiryMs),
    ]);
    return Number(joined) === 1;
  }

  /** Unlists connections; returns the users who left with them (publish a leave for each). */
  async leave(topic: string, connections: string[]): Promise<string[]> {
    return (await evalScript(this.redis, LEAVE, this.#keys(topic), ['', ...connections])) as string[];
  }

  /** Unlists every connection not refreshed in time (their instance died); returns the users who left. */
  async sweep(topic: string, now = Date.now()): Promise<string[]> {
    return (await evalScript(this.redis, LEAVE, this.#keys(topic), [String(now)])) as string[];
  }

  /** Keeps this instance's connections listed for another `expiryMs`. */
  async refresh(topic: string, connections: string[], now = Date.now()): Promise<void> {
    if (connections.length === 0) return;
    const expiresAt = String(now + this.#expiryMs);
    await this.redis.sendCommand(['ZADD', this.#keys(topic)[0]!, 'XX', ...connections.flatMap((connection) => [expiresAt, connection])]);
  }

  /** Who is on the topic: one entry per user, with the data they joined with. */
  async members(topic: string): Promise<Array<{ key: string; data: unknown }>> {
    const flat = (await this.redis.sendCommand(['HGETALL', this.#keys(topic)[3]!])) as string[] | Record<string, string>;
    const entries = Array.isArray(flat) ? pairs(flat) : Object.entries(flat);
    return entries.map(([key, data]) => ({ key, data: JSON.parse(data) as unknown }));
  }

  #keys(topic: string): string[] {
    const tagged = `${this.#prefix}pr:{${topic}}`;
    return [`${tagged}:z`, `${tagged}:c`, `${tagged}:n`, `${tagged}:d`];
  }
}

function pairs(flat: string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let i = 0; i < flat.length; i += 2) result.push([flat[i]!, flat[i + 1]!]);
  return result;
}
