/** WebSocket close codes wirestore sends or reacts to. */
export const CloseCode = {
  NORMAL: 1000,
  /** Server shutting down or restarting: reconnect. */
  GOING_AWAY: 1001,
  /** Abnormal drop with no close frame (set by the browser, never sent). */
  ABNORMAL: 1006,
  /** A frame could not be decoded by the negotiated codec. */
  INVALID_FRAME: 1007,
  /** Policy violation: terminal. */
  POLICY_VIOLATION: 1008,
  /** A frame exceeded the server's max payload. */
  MESSAGE_TOO_BIG: 1009,
  /** Client side: no reply to a heartbeat in time; the socket was presumed dead. */
  HEARTBEAT_TIMEOUT: 4000,
  /** Server: the connection could not keep up (its send buffer passed `maxBackpressureBytes`); reconnect and resume. */
  SLOW_CONSUMER: 4008,
  /** Credentials missing or rejected after the upgrade: terminal. */
  UNAUTHORIZED: 4401,
  /** The user may not use this server: terminal. */
  FORBIDDEN: 4403,
  /** Too many requests: reconnect, but slowly. */
  THROTTLED: 4429,
} as const;

/**
 * How the client reacts to a close code:
 * - `terminal`: stop for good and reject every pending call at once;
 * - `throttle`: reconnect, with the attempt counter raised to at least {@link THROTTLE_MIN_ATTEMPT};
 * - `retry`: reconnect with the usual backoff.
 */
export type CloseClass = 'terminal' | 'throttle' | 'retry';

/** After a THROTTLE close the backoff starts from this attempt (≈ 3 s · 2.2⁵ ≈ 2 min by default). */
export const THROTTLE_MIN_ATTEMPT = 5;

const TERMINAL_CODES: ReadonlySet<number> = new Set([CloseCode.POLICY_VIOLATION, CloseCode.UNAUTHORIZED, CloseCode.FORBIDDEN]);

/**
 * Classifies a close code.
 * @example classifyClose(4401) // 'terminal'
 */
export function classifyClose(code: number): CloseClass {
  if (TERMINAL_CODES.has(code)) return 'terminal';
  if (code === CloseCode.THROTTLED) return 'throttle';
  return 'retry';
}
