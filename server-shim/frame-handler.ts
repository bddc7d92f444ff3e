import { CloseCode } from '../protocol/close-codes';
import { isInvalidCall, readCall, readClientFrame } from '../protocol/client-frame-guard';
import { ErrorCode, type ErrorBody } from '../protocol/error-codes';
import type { BatchedCall, BatchFrame, PublishFrame } from '../protocol/frames';
import { checkStructure, isRecord } from '../protocol/structure';
import type { Coalescer } from './coalescer';
import type { ConnectionLimits, LimitedAction } from './connection-limits';
import type { Context } from './context';
import { LiveError } from './live-error';
import type { Logger } from './options';
import type { RpcDispatcher } from './rpc-dispatch';
import { contextOf, sendFrame, type LiveSocket } from './socket-data';
import type { SubscribeFlow } from './subscribe-flow';
import type { Topics } from './topics';

export interface FrameHandlerDeps {
  maxDepth: number;
  maxBatchSize: number;
  limits: ConnectionLimits;
  dispatcher: RpcDispatcher;
  flow: SubscribeFlow;
  topics: Topics;
  coalescer: Coalescer;
  /** Publishes a client's event, stamped with its sender. */
  publishFromClient: (ws: LiveSocket, frame: PublishFrame) => unknown;
  canPublish: ((ctx: Context<never>, topic: string, event: string, data: unknown) => boolean | Promise<boolean>) | undefined;
  logger: Logger;
  debug: boolean;
}

/**
 * Reads one client frame and acts on it. Undecodable bytes close the socket with 1007; a known
 * frame with wrong fields gets an INVALID_REQUEST reply; an unknown type is ignored. Nothing
 * here throws into uWS, and async work never leaves an unhandled rejection.
 * @internal
 */
export class FrameHandler {
  /**
   * Set when the server shuts down: calls and client publishes are no longer taken (nor answered).
   * The sockets close with 1001 once the running calls have replied, and each client resends its
   * unanswered keyed calls to the next server, where they run once.
   */
  draining = false;

  constructor(private readonly deps: FrameHandlerDeps) {}

  receive(ws: LiveSocket, message: ArrayBuffer): void {
    const { dispatcher, flow, topics } = this.deps;
    const data = ws.getUserData();
    if (data.closed) return;
    let raw: unknown;
    try {
      raw = data.codec.decode(message);
    } catch {
      // Bytes the negotiated codec cannot read mean the peer is not speaking our protocol.
      ws.end(CloseCode.INVALID_FRAME, `malformed ${data.codec.name} frame`);
      return;
    }
    const problem = checkStructure(raw, this.deps.maxDepth);
    if (problem) {
      const id = isRecord(raw) && typeof raw.id === 'number' ? raw.id : null;
      return dispatcher.replyError(ws, id, { code: ErrorCode.INVALID_REQUEST, message: `frame rejected: ${problem}` });
    }
    const reading = readClientFrame(raw);
    if (reading.kind === 'invalid')
      return dispatcher.replyError(ws, reading.id, { code: ErrorCode.INVALID_REQUEST, message: reading.message });
    if (reading.kind === 'unknown') {
      if (this.deps.debug) this.deps.logger.debug(`[wirestore] ignored a frame of unknown type ${JSON.stringify(reading.type)}`);
      return;
    }
    const frame = reading.frame;
    if (this.draining && (frame.type === 'call' || frame.type === 'batch' || frame.type === 'publish')) return;
    switch (frame.type) {
      case 'call':
        if (this.admitCall(ws, frame)) this.inBackground(dispatcher.run(ws, frame));
        return;
      case 'batch':
        return this.inBackground(this.runBatch(ws, frame));
      case 'subscribe':
        if (this.deps.limits.admit(ws, 'subscribes')) return this.inBackground(flow.subscribe(ws, frame));
        if (data.closed) return;
        return void sendFrame(ws, { type: 'denied', ref: frame.ref, topic: frame.topic, error: this.rateLimited(ws, 'subscribes') });
      case 'unsubscribe':
        return topics.leave(ws, frame.topic);
      case 'ping':
        if (this.deps.limits.admit(ws, 'pings')) sendFrame(ws, { type: 'pong' });
        return;
      case 'publish':
        if (this.deps.limits.admit(ws, 'publishes')) return this.inBackground(this.clientPublish(ws, frame));
        return this.refuse(ws, null, 'publishes');
      case 'ack':
        return this.deps.coalescer.ack(ws, frame.batch);
      case 'hello':
        // Only the first one counts: the scope of a connection's idempotency keys never changes.
        data.instance ??= frame.instance;
        return;
    }
  }

  /** A call over the connection's limit gets RATE_LIMITED; a flood closes with 4429. */
  private admitCall(ws: LiveSocket, call: BatchedCall): boolean {
    if (this.deps.limits.admit(ws, 'calls')) return true;
    this.refuse(ws, call.id, 'calls');
    return false;
  }

  private refuse(ws: LiveSocket, id: number | null, action: LimitedAction): void {
    if (ws.getUserData().closed) return;
    this.deps.dispatcher.replyError(ws, id, this.rateLimited(ws, action));
  }

  private rateLimited(ws: LiveSocket, action: LimitedAction): ErrorBody {
    const retryAfterMs = this.deps.limits.retryAfterMs(ws, action);
    return { code: ErrorCode.RATE_LIMITED, message: `too many ${action}; retry in ${retryAfterMs} ms`, details: { retryAfterMs } };
  }

  private async runBatch(ws: LiveSocket, frame: BatchFrame): Promise<void> {
    const { dispatcher, maxBatchSize } = this.deps;
    if (frame.calls.length > maxBatchSize) {
      // One answer for the whole frame: echoing an error per call id would let a small frame of
      // many ids make the server write far more than it read.
      const message = `a batch may hold at most ${maxBatchSize} calls, got ${frame.calls.length}`;
      return dispatcher.replyError(ws, null, { code: ErrorCode.BATCH_TOO_LARGE, message, details: { calls: frame.calls.length } });
    }
    const valid: BatchedCall[] = [];
    for (const raw of frame.calls) {
      const call = readCall(raw);
      if (isInvalidCall(call)) dispatcher.replyError(ws, call.id, { code: ErrorCode.INVALID_REQUEST, message: call.message });
      else if (this.admitCall(ws, call)) valid.push(call);
    }
    if (frame.sequential) {
      for (const call of valid) await dispatcher.run(ws, call);
    } else {
      for (const call of valid) this.inBackground(dispatcher.run(ws, call));
    }
  }

  private async clientPublish(ws: LiveSocket, frame: PublishFrame): Promise<void> {
    const data = ws.getUserData();
    let allowed = false;
    try {
      allowed = frame.topic.startsWith('__')
        ? false
        : ((await this.deps.canPublish?.(contextOf(data) as Context<never>, frame.topic, frame.event, frame.data)) ?? false);
    } catch (error) {
      this.deps.logger.error(`[wirestore] canPublish threw for "${frame.topic}"; refusing:`, error);
    }
    if (data.closed) return;
    if (!allowed) {
      return void sendFrame(ws, {
        type: 'error',
        id: null,
        error: { code: ErrorCode.FORBIDDEN, message: `publishing to "${frame.topic}" is not allowed`, details: { topic: frame.topic } },
      });
    }
    try {
      await this.deps.publishFromClient(ws, frame);
    } catch (error) {
      const body = error instanceof LiveError ? error.toBody() : { code: ErrorCode.INTERNAL_ERROR, message: 'the publish failed' };
      if (!(error instanceof LiveError)) this.deps.logger.error(`[wirestore] a client publish to "${frame.topic}" failed:`, error);
      if (data.closed) return;
      sendFrame(ws, { type: 'error', id: null, error: { ...body, details: { topic: frame.topic } } });
    }
  }

  /** Async work started from a uWS callback: a failure is logged, never an unhandled rejection. */
  private inBackground(work: void | Promise<unknown>): void {
    if (work) work.catch((error: unknown) => this.deps.logger.error('[wirestore] unexpected error in async frame handling:', error));
  }
}
