/**
 * Error codes carried in `{ code, message, details? }` error bodies, on the wire and in
 * `RpcError.code` on the client. Apps may throw their own codes through `LiveError`;
 * these are the ones wirestore itself produces.
 */
export const ErrorCode = {
  /** The frame or call was malformed: wrong field types, bad path, forbidden key, too deep. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** No RPC handler is registered at that path. */
  NOT_FOUND: 'NOT_FOUND',
  /** The handler threw something that is not a `LiveError`; details stay in the server log. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  /** A batch held more calls than the server's `maxBatchSize`. */
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  /** Client side: the encoded call exceeds the server's `maxPayloadBytes`; it was never sent. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Too many calls on this connection; `details.retryAfterMs` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The subscription was refused by the access hook, or the topic is reserved; thrown by `authenticate`: close 4403. */
  FORBIDDEN: 'FORBIDDEN',
  /** Thrown by `authenticate` to refuse with a reason: close 4401 (returning false does too, reason `unauthorized`). */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** The server could not reach what it shares topics through (Redis): nothing was done; try again. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** Client side: no reply within the call's timeout. */
  TIMEOUT: 'TIMEOUT',
  /** Client side: the socket dropped while the call was in flight; it may or may not have run. */
  DISCONNECTED: 'DISCONNECTED',
  /** Client side: the server closed with a terminal code (1008, 4401, 4403); no retry will follow. */
  TERMINATED: 'TERMINATED',
  /** Client side: `client.close()` was called. */
  CLOSED: 'CLOSED',
  /** Client side: the offline queue overflowed and dropped this, its oldest entry. */
  QUEUE_FULL: 'QUEUE_FULL',
  /** Client side: the queued call waited longer than `offline.maxAge`. */
  STALE: 'STALE',
  /** Client side: `offline.beforeReplay` returned false for this queued call. */
  DROPPED: 'DROPPED',
} as const;

export type WirestoreErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The error body of an RPC error frame. `code` is open-ended: apps add their own. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}
