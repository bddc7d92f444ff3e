import { ErrorCode, type ErrorBody } from '../protocol/error-codes';
import type { BatchedCall } from '../protocol/frames';
import type { AnyHandler } from './api-registry';
import { LiveError } from './live-error';
import type { Logger } from './options';
import { sendFrame, type LiveSocket } from './socket-data';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Runs calls against the flattened API and sends each its result or error frame. A synchronous
 * handler is answered in the same tick (no promise hop on the hot path).
 * @internal
 */
export class RpcDispatcher {
  constructor(
    private readonly handlers: ReadonlyMap<string, AnyHandler>,
    private readonly logger: Logger,
  ) {}

  /** Returns a promise only when the handler was asynchronous. */
  run(ws: LiveSocket, call: BatchedCall): void | Promise<void> {
    const handler = this.handlers.get(call.path);
    if (!handler) return this.replyError(ws, call.id, { code: ErrorCode.NOT_FOUND, message: `no RPC handler at "${call.path}"` });
    let result: unknown;
    try {
      result = handler(ws.getUserData().ctx, ...call.args);
    } catch (error) {
      return this.replyError(ws, call.id, this.errorBody(call, error));
    }
    if (!isThenable(result)) return this.replyResult(ws, call, result);
    return Promise.resolve(result).then(
      (value) => this.corked(ws, () => this.replyResult(ws, call, value)),
      (error: unknown) => this.corked(ws, () => this.replyError(ws, call.id, this.errorBody(call, error))),
    );
  }

  replyError(ws: LiveSocket, id: number | null, error: ErrorBody): void {
    sendFrame(ws, { type: 'error', id, error });
  }

  private replyResult(ws: LiveSocket, call: BatchedCall, data: unknown): void {
    try {
      sendFrame(ws, { type: 'result', id: call.id, data });
    } catch (error) {
      this.logger.error(`[wirestore] the result of ${call.path} could not be encoded:`, error);
      this.replyError(ws, call.id, { code: ErrorCode.INTERNAL_ERROR, message: 'the result could not be encoded' });
    }
  }

  private errorBody(call: BatchedCall, error: unknown): ErrorBody {
    if (error instanceof LiveError) return error.toBody();
    this.logger.error(`[wirestore] RPC ${call.path} threw:`, error);
    return { code: ErrorCode.INTERNAL_ERROR, message: 'internal error' };
  }

  /** Late replies go out corked, so a burst of them leaves in one syscall. */
  private corked(ws: LiveSocket, send: () => void): void {
    if (ws.getUserData().closed) return;
    ws.cork(send);
  }
}
