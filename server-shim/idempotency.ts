import type { ErrorBody } from '../protocol/error-codes';

/** A call's outcome as remembered for repeats. */
export type Outcome = { ok: true; data: unknown } | { ok: false; error: ErrorBody };

/** The exactly-once window. Keys are remembered per user, bounded by count, bytes and age. */
export interface IdempotencyOptions {
  /** Completed keys remembered per user, and calls running at once per user. Default 1000; 0 turns the window off. */
  maxKeysPerUser?: number;
  /** How long a completed key is remembered. Default 10 minutes. */
  maxAgeMs?: number;
  /**
   * Which calls share a window. Default: `user.id` when there is one; else the client instance
   * (a random id each SDK client keeps across reconnects and reloads), so users without an id
   * never share one; else the connection.
   */
  scopeOf?: (user: unknown) => string;
  /**
   * Results larger than this (encoded) are not kept: a repeat runs the handler again. Every call
   * is keyed by default, reads included, and a window of large read results would hold a lot of
   * memory; writes rarely answer with that much. Default 64 KiB.
   */
  maxResultBytes?: number;
  /** Result bytes remembered per user; the oldest go first. Default 1 MiB. */
  maxBytesPerUser?: number;
  /** Result bytes remembered over all users; the users idle longest go first. Default 64 MiB. */
  maxTotalBytes?: number;
}

interface Remembered {
  path: string;
  at: number;
  /** A promise while the first attempt is still running. */
  outcome: Outcome | Promise<Outcome>;
  bytes: number;
}

/** One user's window: completed keys oldest first, and the calls still running apart from them. */
interface Scope {
  done: Map<string, Remembered>;
  running: Map<string, Remembered>;
  bytes: number;
  lastUsed: number;
}

/**
 * Remembers the outcome of every call that carried an idempotency key, so a repeat (a retry after
 * a lost reply, a replayed offline queue) gets the stored result instead of running the handler
 * again. A repeat that arrives while the first attempt still runs waits for it. Calls still
 * running are kept apart, so one slow call never holds back the trimming of the others, and the
 * windows of users who left are swept once their newest key is past `maxAgeMs`.
 * @internal
 */
export class IdempotencyWindow {
  /** Scopes by last use, least recent first (a used scope moves to the end). */
  private readonly scopes = new Map<string, Scope>();
  private readonly maxKeys: number;
  private readonly maxAgeMs: number;
  private readonly maxBytesPerUser: number;
  private readonly maxTotalBytes: number;
  private totalBytes = 0;
  readonly maxResultBytes: number;

  constructor(
    options: IdempotencyOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxKeys = Math.max(0, options.maxKeysPerUser ?? 1000);
    this.maxAgeMs = Math.max(0, options.maxAgeMs ?? 600_000);
    this.maxResultBytes = options.maxResultBytes ?? 64 * 1024;
    this.maxBytesPerUser = options.maxBytesPerUser ?? 1024 * 1024;
    this.maxTotalBytes = options.maxTotalBytes ?? 64 * 1024 * 1024;
  }

  get enabled(): boolean {
    return this.maxKeys > 0;
  }

  /** Users with a window now (for tests and metrics). */
  get scopeCount(): number {
    return this.scopes.size;
  }

  /** Keys remembered in `scope`, running ones included (for tests). */
  keysIn(scope: string): number {
    const found = this.scopes.get(scope);
    return found ? found.done.size + found.running.size : 0;
  }

  /**
   * Runs `execute` once per (scope, key): the first call runs it, repeats get its outcome.
   * A key reused for another path is refused rather than answered with the wrong result.
   */
  run(scope: string, key: string, path: string, execute: () => Outcome | Promise<Outcome>): Outcome | Promise<Outcome> {
    const keys = this.scopeNamed(scope);
    const known = keys.running.get(key) ?? keys.done.get(key);
    if (known) {
      if (known.path !== path) {
        return { ok: false, error: { code: 'INVALID_REQUEST', message: `idempotency key reused for a different call (${known.path})` } };
      }
      return known.outcome;
    }
    if (keys.running.size >= this.maxKeys) {
      return { ok: false, error: { code: 'RATE_LIMITED', message: `more than ${this.maxKeys} keyed calls running at once` } };
    }
    const remembered: Remembered = { path, at: this.now(), outcome: execute(), bytes: 0 };
    if (remembered.outcome instanceof Promise) {
      keys.running.set(key, remembered);
      // Never rejects: execute() turns every failure into an outcome.
      void remembered.outcome.then((outcome) => {
        remembered.outcome = outcome;
        remembered.at = this.now();
        if (keys.running.delete(key)) this.keep(keys, key, remembered);
      });
    } else this.keep(keys, key, remembered);
    return remembered.outcome;
  }

  /**
   * Records how many bytes the outcome took to send, for the byte budgets; an outcome over
   * `maxResultBytes` is forgotten, and a repeat runs the handler again.
   */
  sized(scope: string, key: string, bytes: number): void {
    const keys = this.scopes.get(scope);
    const remembered = keys?.done.get(key);
    if (!keys || !remembered) return;
    if (bytes > this.maxResultBytes) {
      keys.done.delete(key);
      this.account(keys, -remembered.bytes);
      return;
    }
    this.account(keys, bytes - remembered.bytes);
    remembered.bytes = bytes;
    this.trim(keys);
    if (this.totalBytes > this.maxTotalBytes) this.evictIdlest();
  }

  /** Drops the windows whose every key has aged out (users who left), and aged keys of the rest. */
  sweep(): void {
    const oldestAllowed = this.now() - this.maxAgeMs;
    for (const [name, keys] of this.scopes) {
      if (keys.lastUsed >= oldestAllowed) break; // least recently used first: the rest are newer
      this.trim(keys);
      if (keys.done.size === 0 && keys.running.size === 0) this.scopes.delete(name);
    }
  }

  private scopeNamed(name: string): Scope {
    let keys = this.scopes.get(name);
    if (keys) this.scopes.delete(name);
    else keys = { done: new Map(), running: new Map(), bytes: 0, lastUsed: 0 };
    keys.lastUsed = this.now();
    this.scopes.set(name, keys);
    this.trim(keys);
    return keys;
  }

  private keep(keys: Scope, key: string, remembered: Remembered): void {
    keys.done.set(key, remembered);
    this.trim(keys);
  }

  private account(keys: Scope, delta: number): void {
    keys.bytes += delta;
    this.totalBytes += delta;
  }

  /** Completed keys are in completion order: drop from the front while over count, bytes or age. */
  private trim(keys: Scope): void {
    const oldestAllowed = this.now() - this.maxAgeMs;
    for (const [key, remembered] of keys.done) {
      if (keys.done.size <= this.maxKeys && keys.bytes <= this.maxBytesPerUser && remembered.at >= oldestAllowed) break;
      keys.done.delete(key);
      this.account(keys, -remembered.bytes);
    }
  }

  /** Forgets whole windows of the users idle longest until the total is back under budget. */
  private evictIdlest(): void {
    for (const [name, keys] of this.scopes) {
      if (this.totalBytes <= this.maxTotalBytes) break;
      if (keys.running.size > 0) continue;
      this.account(keys, -keys.bytes);
      this.scopes.delete(name);
    }
  }
}
