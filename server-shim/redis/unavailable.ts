import { ErrorCode } from '../../protocol/error-codes';
import { LiveError } from '../live-error';

/** The error for work not done because Redis could not be reached: `what` says which (e.g. "the event was not published"). */
export function unavailable(what: string, error: unknown): LiveError {
  const reason = error instanceof Error ? error.message : String(error);
  return new LiveError(ErrorCode.UNAVAILABLE, `${what}: Redis is unreachable (${reason})`);
}
