import type { ErrorBody } from '../protocol/error-codes';

/** A call's outcome as remembered for repeats. */
export type Outcome = { ok: true; data: unknown } | { ok: false; error: ErrorBody };

/** The exactly-once window. Keys are remembered per user, bounded by count and age. */
export interface IdempotencyOptions {
  /** Completed keys remembered per user. Default 1000; 0 turns the window off. */
  maxKeysPerUser?: number;
  /** How long a completed key is remembered. Default 10 minutes. */
  maxAgeMs?: number;
  /** Which users share a window. Default: `user.id` when there is one, else one shared scope. */
  scopeOf?: (user: unknown) => string;
  /**
   * Results larger than this (encoded) are not kept: a repeat runs the handler again. Every call
   * is keyed by default, reads included, and a window of large read results would hold a lot of
   * memory; writes rarely answer with that much. Default 64 KiB.
   */
  maxResultBytes?: number;
}

interface Remembered {
  path: string;
  at: number;
  /** A promise while the first attempt is still running. */
  outcome: Outcome | Promise<Outcome>;
}

function defaultScope(user: unknown): string {
  const id = (user as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? `user:${id}` : 'shared';
}

/**
 * Remembers the outcome of every call that carried an idempotency key, so a repeat (a retry after
 * a lost reply, a replayed offline queue) gets the stored result instead of running the handler
 * again. A repeat that arrives while the first attempt still runs waits for it.
 * @internal
 */
export class IdempotencyWindow {
  private readonly scopes = new Map<string, Map<string, Remembered>>();
  private readonly maxKeys: number;
  private readonly maxAgeMs: number;
  readonly scopeOf: (user: unknown) => string;
  readonly maxResultBytes: number;

  constructor(
    options: IdempotencyOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxKeys = Math.max(0, options.maxKeysPerUser ?? 1000);
    this.maxAgeMs = Math.max(0, options.maxAgeMs ?? 600_000);
    this.scopeOf = options.scopeOf ?? defaultScope;
    this.maxResultBytes = options.maxResultBytes ?? 64 * 1024;
  }

  /** Forgets a key whose result was too large to keep (see `maxResultBytes`). */
  forget(scope: string, key: string): void {
    const remembered = this.scopes.get(scope)?.get(key);
    if (remembered && !(remembered.outcome instanceof Promise)) this.scopes.get(scope)!.delete(key);
  }

  get enabled(): boolean {
    return this.maxKeys > 0;
  }

  /**
   * Runs `execute` once per (scope, key): the first call runs it, repeats get its outcome.
   * A key reused for another path is refused rather than answered with the wrong result.
   */
  run(scope: string, key: string, path: string, execute: () => Outcome | Promise<Outcome>): Outcome | Promise<Outcome> {
    const keys = this.keysOf(scope);
    const known = keys.get(key);
    if (known) {
      if (known.path !== path) {
        return { ok: false, error: { code: 'INVALID_REQUEST', message: `idempotency key reused for a different call (${known.path})` } };
      }
      return known.outcome;
    }
    const remembered: Remembered = { path, at: this.now(), outcome: execute() };
    keys.set(key, remembered);
    if (remembered.outcome instanceof Promise) {
      // Never rejects: execute() turns every failure into an outcome.
      void remembered.outcome.then((outcome) => (remembered.outcome = outcome));
    }
    this.trim(keys);
    return remembered.outcome;
  }

  private keysOf(scope: string): Map<string, Remembered> {
    let keys = this.scopes.get(scope);
    if (!keys) this.scopes.set(scope, (keys = new Map()));
    else this.trim(keys);
    return keys;
  }

  /** Maps keep insertion order, so the oldest keys are first: drop from the front. */
  private trim(keys: Map<string, Remembered>): void {
    const oldestAllowed = this.now() - this.maxAgeMs;
    for (const [key, remembered] of keys) {
      if (keys.size <= this.maxKeys && remembered.at >= oldestAllowed) break;
      if (remembered.outcome instanceof Promise) break; // never forget a call still running
      keys.delete(key);
    }
  }
}
