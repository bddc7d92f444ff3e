import { ErrorCode, type ErrorBody } from '../protocol/error-codes';
import type { BatchedCall } from '../protocol/frames';
import type { AnyHandler } from './api-registry';
import type { EngineRuntime, RunOnce } from './engine';
import type { Outcome } from './idempotency';
import { LiveError } from './live-error';
import type { Logger } from './options';
import { contextOf, sendFrame, type LiveSocket, type SocketData } from './socket-data';

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
    private readonly idempotency: RunOnce,
    private readonly logger: Logger,
    /** The idempotency scope of a connection's calls. */
    private readonly scopeOf: (data: SocketData) => string,
    /** A limit shared by every process (the Redis engine's option), checked before each call. */
    private readonly sharedLimit?: EngineRuntime['callLimit'],
  ) {}

  /** Calls whose handler is still running (their reply not yet sent). */
  private running = 0;
  private onIdle: (() => void) | undefined;

  /** Resolves once every running call has finished and its reply went out. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.onIdle;
      this.onIdle = () => {
        previous?.();
        resolve();
      };
    });
  }

  /** Returns a promise only when the outcome was not ready at once. */
  run(ws: LiveSocket, call: BatchedCall): void | Promise<void> {
    if (this.sharedLimit) return this.runLimited(ws, call, this.sharedLimit);
    return this.runAdmitted(ws, call);
  }

  /** Takes a token of the cluster-wide limit first; refused calls get RATE_LIMITED with `retryAfterMs`. */
  private async runLimited(ws: LiveSocket, call: BatchedCall, limit: NonNullable<EngineRuntime['callLimit']>): Promise<void> {
    const verdict = await limit(this.scopeOf(ws.getUserData())).catch((error: unknown) => {
      this.logger.warn('[wirestore] the cluster-wide call limit could not be checked (Redis); letting the call through:', error);
      return { allowed: true } as const;
    });
    if (ws.getUserData().closed) return;
    if (!verdict.allowed) {
      return this.replyError(ws, call.id, {
        code: ErrorCode.RATE_LIMITED,
        message: 'too many calls',
        details: { retryAfterMs: verdict.retryAfterMs },
      });
    }
    return this.runAdmitted(ws, call);
  }

  private runAdmitted(ws: LiveSocket, call: BatchedCall): void | Promise<void> {
    const data = ws.getUserData();
    const windowed = call.key !== undefined && this.idempotency.enabled;
    const scope = windowed ? this.scopeOf(data) : '';
    const outcome = windowed
      ? this.idempotency.run(scope, call.key!, call.path, () => this.execute(contextOf(data), call))
      : this.execute(contextOf(data), call);
    const answer = (settled: Outcome) => {
      const bytes = this.reply(ws, call, settled);
      if (windowed) this.idempotency.sized(scope, call.key!, bytes);
    };
    if (!(outcome instanceof Promise)) return answer(outcome);
    this.running++;
    return outcome
      .then((settled) => {
        if (!ws.getUserData().closed) ws.cork(() => answer(settled));
      })
      .finally(() => {
        if (--this.running > 0 || !this.onIdle) return;
        const notify = this.onIdle;
        this.onIdle = undefined;
        notify();
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

  /** Sends the outcome; returns the bytes of the frame sent (an error's message length for errors). */
  private reply(ws: LiveSocket, call: BatchedCall, outcome: Outcome): number {
    if (!outcome.ok) {
      this.replyError(ws, call.id, outcome.error);
      return 64 + outcome.error.message.length;
    }
    const data = ws.getUserData();
    if (data.closed) return 0;
    try {
      const payload = data.codec.encode({ type: 'result', id: call.id, data: outcome.data });
      ws.send(payload, typeof payload !== 'string');
      return typeof payload === 'string' ? payload.length : payload.byteLength;
    } catch (error) {
      this.logger.error(`[wirestore] the result of ${call.path} could not be encoded:`, error);
      this.replyError(ws, call.id, { code: ErrorCode.INTERNAL_ERROR, message: 'the result could not be encoded' });
      return 0;
    }
  }

  private errorBody(call: BatchedCall, error: unknown): ErrorBody {
    if (error instanceof LiveError) return error.toBody();
    this.logger.error(`[wirestore] RPC ${call.path} threw:`, error);
    return { code: ErrorCode.INTERNAL_ERROR, message: 'internal error' };
  }
}
