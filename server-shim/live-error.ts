import { CodedError } from '../protocol/coded-error';

/**
 * Throw from an RPC handler to send the client a specific error: code, message and details
 * reach it as they are. Any other throw becomes `INTERNAL_ERROR`, its message kept in the server log.
 * @example throw new LiveError('NOT_ALLOWED', 'Only the owner can delete a list', { listId })
 */
export class LiveError extends CodedError {
  override readonly name = 'LiveError';
}
