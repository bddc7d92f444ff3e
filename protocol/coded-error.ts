/** An Error carrying the `{ code, message, details? }` body that travels in error frames. */
export class CodedError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
