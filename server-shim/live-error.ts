import { CodedError } from '../protocol/coded-error';
import type { ErrorBody } from '../protocol/error-codes';

/**
 * Throw from an RPC handler to send the client a specific error: code, message and details
 * reach it as they are. Any other throw becomes `INTERNAL_ERROR`, its message kept in the server log.
 * @example throw new LiveError('NOT_ALLOWED', 'Only the owner can delete a list', { listId })
 */
export class LiveError extends CodedError {
  override readonly name = 'LiveError';

  /** The wire body, without `details` when there are none. */
  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
