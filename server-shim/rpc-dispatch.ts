import { ErrorCode, type ErrorBody } from '../protocol/error-codes';
import type { BatchedCall } from '../protocol/frames';
import type { AnyHandler } from './api-registry';
import type { IdempotencyWindow, Outcome } from './idempotency';
import { LiveError } from './live-error';
import type { Logger } from './options';
import { sendFrame, type LiveSocket } from './socket-data';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Runs calls against the flattened API and sends each its result or error frame. A synchronous
 * handler is answered in the same tick (no promise hop on the hot path). Calls with an
 * idempotency key run at most once per user within the window.
 * @internal
 */
export class RpcDispatcher {
  constructor(
    private readonly handlers: ReadonlyMap<string, AnyHandler>,
    private readonly idempotency: IdempotencyWindow,
    private readonly logger: Logger,
  ) {}

  /** Returns a promise only when the outcome was not ready at once. */
  run(ws: LiveSocket, call: BatchedCall): void | Promise<void> {
    const data = ws.getUserData();
    const outcome =
      call.key !== undefined && this.idempotency.enabled
        ? this.idempotency.run(this.idempotency.scopeOf(data.user), call.key, call.path, () => this.execute(data.ctx, call))
        : this.execute(data.ctx, call);
    if (!(outcome instanceof Promise)) return this.reply(ws, call, outcome);
    return outcome.then((settled) => {
      if (!ws.getUserData().closed) ws.cork(() => this.reply(ws, call, settled));
    });
  }

  replyError(ws: LiveSocket, id: number | null, error: ErrorBody): void {
    sendFrame(ws, { type: 'error', id, error });
  }

  private execute(ctx: unknown, call: BatchedCall): Outcome | Promise<Outcome> {
    const handler = this.handlers.get(call.path);
    if (!handler) return { ok: false, error: { code: ErrorCode.NOT_FOUND, message: `no RPC handler at "${call.path}"` } };
    let result: unknown;
    try {
      result = handler(ctx, ...call.args);
    } catch (error) {
      return { ok: false, error: this.errorBody(call, error) };
    }
    if (!isThenable(result)) return { ok: true, data: result };
    return Promise.resolve(result).then(
      (data): Outcome => ({ ok: true, data }),
      (error: unknown): Outcome => ({ ok: false, error: this.errorBody(call, error) }),
    );
  }

  private reply(ws: LiveSocket, call: BatchedCall, outcome: Outcome): void {
    if (!outcome.ok) return this.replyError(ws, call.id, outcome.error);
    try {
      sendFrame(ws, { type: 'result', id: call.id, data: outcome.data });
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
}
