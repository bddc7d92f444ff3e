import type { ErrorBody } from '../protocol/error-codes';

/**
 * Throw from an RPC handler to send the client a specific error: code, message and details
 * reach it as they are. Any other throw becomes `INTERNAL_ERROR`, its message kept in the server log.
 * @example throw new LiveError('NOT_ALLOWED', 'Only the owner can delete a list', { listId })
 */
export class LiveError extends Error {
  override readonly name = 'LiveError';
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** @internal */
  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
