import { randomUUID } from 'node:crypto';
import type { Outcome } from '../idempotency';
import { evalScript } from './eval';
import type { RedisCommander } from './topic-log';

/** The exactly-once window shared by every instance: how long things are kept. */
export interface SharedIdempotencyOptions {
  /** How long a completed key is remembered (ms). Default 10 minutes. */
  maxAgeMs?: number;
  /** How long a running call's claim lasts unless renewed (ms): an instance that died lets go this late. Default 10 s. */
  leaseMs?: number;
  /** Outcomes larger than this (JSON bytes) are not kept: a repeat runs again. Default 64 KiB. */
  maxResultBytes?: number;
  /** How long a repeat waits for the first attempt, running elsewhere, before it fails (ms). Default 30 s. */
  waitMs?: number;
  prefix?: string;
}

/** KEYS: the call's key. ARGV: the claim, lease ms. Returns {'run'}, {'pending'} or {'done', outcome}. */
const BEGIN = `
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return { 'run' }
end
if string.sub(value, 1, 2) == 'P:' then return { 'pending' } end
return { 'done', value }
`;

/** KEYS: the call's key. ARGV: the claim, then 'renew' and lease ms, or 'finish', outcome ('' to forget) and max age ms. */
const SETTLE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'renew' then return redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if ARGV[3] == '' then return redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
return 1
`;

const DEFAULTS = { maxAgeMs: 600_000, leaseMs: 10_000, maxResultBytes: 64 * 1024, waitMs: 30_000, prefix: 'ws:' };

/**
 * The idempotency window across instances: the first attempt of a key claims it (a lease it
 * renews while it runs), and stores its outcome when done; a repeat on any instance, during or
 * after, gets that outcome instead of running again. If the instance running it dies, its lease
 * runs out and a repeat runs the call (it may have been cut short: handlers that must never run
 * twice make their own writes idempotent).
 * @internal The Redis engine's counterpart of `IdempotencyWindow`.
 */
export class SharedIdempotency {
  readonly #options: typeof DEFAULTS;

  constructor(
    private readonly redis: RedisCommander,
    options: SharedIdempotencyOptions = {},
  ) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Runs `execute` once per (scope, key) across the cluster; every attempt gets the same outcome. */
  async run(scope: string, key: string, execute: () => Outcome | Promise<Outcome>): Promise<Outcome> {
    const redisKey = `${this.#options.prefix}i:{${scope}}:${key}`;
    const deadline = Date.now() + this.#options.waitMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
      const claim = `P:${randomUUID()}`;
      const reply = (await evalScript(this.redis, BEGIN, [redisKey], [claim, String(this.#options.leaseMs)])) as string[];
      if (reply[0] === 'run') return this.#runClaimed(redisKey, claim, execute);
      if (reply[0] === 'done') return JSON.parse(reply[1]!) as Outcome;
      if (Date.now() > deadline) {
        return {
          ok: false,
          error: { code: 'TIMEOUT', message: `the first attempt of this call is still running elsewhere after ${this.#options.waitMs} ms` },
        };
      }
      await new Promise((resolve) => setTimeout(resolve, wait)); // bounded: the deadline above ends it
    }
  }

  async #runClaimed(redisKey: string, claim: string, execute: () => Outcome | Promise<Outcome>): Promise<Outcome> {
    const { leaseMs, maxAgeMs, maxResultBytes } = this.#options;
    const settle = (...args: string[]) => evalScript(this.redis, SETTLE, [redisKey], [claim, ...args]);
    // Renewed while it runs, so a slow call is not taken for one whose instance died.
    const renew = setInterval(() => void settle('renew', String(leaseMs)).catch(() => {}), leaseMs / 3);
    let outcome: Outcome;
    try {
      outcome = await execute();
    } catch (error) {
      await settle('finish', '', '0').catch(() => {}); // let a repeat run it
      throw error;
    } finally {
      clearInterval(renew);
    }
    let stored = '';
    try {
      stored = JSON.stringify(outcome);
    } catch {
      // not JSON (a BigInt, a cycle): not kept, a repeat runs again
    }
    if (Buffer.byteLength(stored) > maxResultBytes) stored = '';
    await settle('finish', stored, String(maxAgeMs));
    return outcome;
  }
}
