import { CodedError } from '../protocol/coded-error';
import type { ErrorBody } from '../protocol/error-codes';

/**
 * Rejection reason of every failed call. `code` is a wirestore code (`TIMEOUT`, `DISCONNECTED`,
 * `TERMINATED`, `NOT_FOUND`, …) or one your server threw with `LiveError`.
 * @example
 * try { await client.call('todos/add', text) }
 * catch (e) { if (e instanceof RpcError && e.code === 'TIMEOUT') retryLater() }
 */
export class RpcError extends CodedError {
  override readonly name = 'RpcError';

  /** @internal */
  static from(body: ErrorBody): RpcError {
    return new RpcError(body.code, body.message, body.details);
  }
}
