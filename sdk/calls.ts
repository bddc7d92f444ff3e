import type { WirestoreErrorCode } from '../protocol/error-codes';
import type { BatchedCall, ClientFrame, ErrorFrame } from '../protocol/frames';
import type { CloseClass } from '../protocol/close-codes';
import type { CallOptions } from './client-types';
import { newIdempotencyKey } from './idempotency-key';
import { PendingCalls } from './pending-calls';
import { RpcError } from './rpc-error';
import type { ConnectionState } from './status';

/** What calls need from the connection. */
export interface CallLink {
  send(frame: ClientFrame): 'sent' | 'not-open' | 'too-large';
  /** Opens the connection if nothing has yet. */
  start(): void;
  state(): ConnectionState;
}

/** The offline queue as calls see it: where a keyed call goes while the socket is not open. */
export interface CallDetour {
  /** Resolves once the queue has loaded; calls made meanwhile wait for it. */
  readonly ready: Promise<unknown>;
  /** The queue, once loaded. */
  current(): { readonly busy: boolean; enqueue(path: string, args: unknown[], key: string): Promise<unknown> } | undefined;
}

const rejected = (code: WirestoreErrorCode, message: string) => Promise.reject(new RpcError(code, message));

/**
 * Every call the client makes: keys it, sends it (alone or in a batch) or hands it to the offline
 * queue, and settles it from the server's reply, a timeout or the connection's fate. Knows
 * nothing of sockets: it talks to a {@link CallLink}.
 * @internal
 */
export class Calls {
  readonly #pending = new PendingCalls();
  #batching: BatchedCall[] | undefined;
  /** The server's limit once known; 50 (its default) before the first hello. */
  #maxBatchSize = 50;

  constructor(
    private readonly link: CallLink,
    private readonly timeoutMs: number,
    private readonly detour?: CallDetour,
  ) {}

  call(options: CallOptions, path: string, args: unknown[]): Promise<never> {
    const state = this.link.state();
    if (state === 'closed') return rejected('CLOSED', 'the client was closed');
    if (state === 'terminal') return rejected('TERMINATED', 'the server ended the connection');
    if (typeof path !== 'string' || path.length === 0) {
      return Promise.reject(new TypeError(`call path must be a non-empty string, got ${typeof path}`));
    }
    try {
      this.link.start(); // throws on misuse (no WebSocket, no URL): the call rejects with the fix
    } catch (error) {
      return Promise.reject(error);
    }
    const queue = this.detour?.current();
    if (this.detour && !queue) return this.detour.ready.then(() => this.call(options, path, args));
    const key = options.idempotent === false ? undefined : (options.idempotencyKey ?? newIdempotencyKey());
    // Every call is sent: two calls are two user actions, even when identical. A repeat of one
    // action (a retry, a replayed queue entry) carries the same key, and the server answers it once.
    if (queue && key !== undefined && (state !== 'open' || queue.busy)) {
      return queue.enqueue(path, args, key) as Promise<never>;
    }
    return this.send(path, args, options.timeoutMs ?? this.timeoutMs, key) as Promise<never>;
  }

  /** Sends now, or as soon as the socket opens; never through the queue (its replays come here). */
  send(path: string, args: unknown[], timeoutMs: number, key: string | undefined): Promise<unknown> {
    const { call, promise } = this.#pending.add(path, args, timeoutMs, key);
    this.link.start();
    if (this.#batching) this.#batching.push(call);
    else this.#sendOne(call);
    return promise;
  }

  /** Calls made inside `calls()` go out as one frame. */
  batch<Result>(calls: () => Result, sequential = false): Result {
    if (this.#batching) return calls(); // nested: part of the outer batch
    this.#batching = [];
    let collected: BatchedCall[];
    let result: Result;
    try {
      result = calls();
    } finally {
      collected = this.#batching;
      this.#batching = undefined;
    }
    if (collected.length > this.#maxBatchSize) {
      this.#failEach(collected, 'BATCH_TOO_LARGE', `a batch may hold at most ${this.#maxBatchSize} calls, got ${collected.length}`);
    } else if (collected.length > 0) {
      this.#settleSend(
        collected,
        this.link.send({ type: 'batch', calls: collected, sequential }),
        "the batch exceeds the server's maxPayloadBytes",
      );
    }
    return result;
  }

  /** The server said hello: its limits apply, and calls that waited for a socket go out. */
  opened(maxBatchSize: number): void {
    this.#maxBatchSize = maxBatchSize;
    for (const call of this.#pending.unsent()) if (!this.#sendOne(call)) return;
  }

  replied(id: number, data: unknown): void {
    this.#pending.resolve(id, data);
  }

  failed(frame: ErrorFrame): void {
    if (frame.id === null) console.warn('[wirestore] the server rejected a frame:', frame.error);
    else this.#pending.fail(frame.id, frame.error);
  }

  /** The socket dropped: keyed calls go out again on the next one; the rest reject, as do all when it is over. */
  dropped(closeClass: CloseClass | 'closed', code: number, reason: string): void {
    if (closeClass === 'closed') this.#pending.failAll('CLOSED' satisfies WirestoreErrorCode, 'the client was closed');
    else if (closeClass === 'terminal') {
      const why = `the server ended the connection (${code}${reason ? `: ${reason}` : ''})`;
      this.#pending.failAll('TERMINATED' satisfies WirestoreErrorCode, why, { closeCode: code, reason });
    } else this.#pending.failSent();
  }

  /** Sends one call; false when the socket is not open. A call too large for the server rejects at once. */
  #sendOne(call: BatchedCall): boolean {
    const outcome = this.link.send({ type: 'call', ...call });
    this.#settleSend([call], outcome, `${call.path}: the call exceeds the server's maxPayloadBytes`);
    return outcome !== 'not-open';
  }

  #settleSend(calls: BatchedCall[], outcome: 'sent' | 'not-open' | 'too-large', tooLarge: string): void {
    if (outcome === 'sent') for (const call of calls) this.#pending.markSent(call.id);
    else if (outcome === 'too-large') this.#failEach(calls, 'PAYLOAD_TOO_LARGE', tooLarge);
  }

  #failEach(calls: BatchedCall[], code: WirestoreErrorCode, message: string): void {
    for (const call of calls) this.#pending.fail(call.id, new RpcError(code, message));
  }
}
