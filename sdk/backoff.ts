/** Reconnect timing. Defaults: 3 s base, 5 min cap. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter. Default 3000. */
  baseMs?: number;
  /** Upper bound applied before jitter, so the ±25 % spread survives at the cap. Default 300000. */
  capMs?: number;
  /** Source of uniform randoms in [0, 1); injectable for tests. Default `Math.random`. */
  random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 3000;
export const DEFAULT_BACKOFF_CAP_MS = 300_000;
/** Each failed attempt multiplies the delay by this factor. */
export const BACKOFF_GROWTH = 2.2;

/**
 * The delay before reconnect attempt number `attempt` (0 for the first retry):
 * `min(base · 2.2^attempt, cap) · U(0.75, 1.25)`. Pure; the jitter keeps a crowd of clients
 * that lost the same server from coming back in lockstep.
 * @example reconnectDelay(0, { random: () => 0.5 }) // 3000
 */
export function reconnectDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const cap = options.capMs ?? DEFAULT_BACKOFF_CAP_MS;
  const random = options.random ?? Math.random;
  const capped = Math.min(base * BACKOFF_GROWTH ** Math.max(0, attempt), cap);
  return capped * (0.75 + 0.5 * random());
}
