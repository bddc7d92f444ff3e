import type { ErrorBody } from './error-codes';

/** An Error carrying the `{ code, message, details? }` body that travels in error frames. */
export class CodedError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** The wire body, without `details` when there are none. */
  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
