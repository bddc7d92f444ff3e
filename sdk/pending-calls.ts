import type { BatchedCall } from '../protocol/frames';
import type { ErrorBody } from '../protocol/error-codes';
import type { WirestoreErrorCode } from '../protocol/error-codes';
import { RpcError } from './rpc-error';

interface PendingCall {
  call: BatchedCall;
  resolve(value: unknown): void;
  reject(error: RpcError): void;
  timer: ReturnType<typeof setTimeout>;
  /** Written to a socket: if that socket drops, the outcome is unknown. */
  sent: boolean;
}

/**
 * Calls awaiting their reply, matched by id. A call made before the connection is open waits
 * here unsent and goes out on open; its timeout runs from the moment it was made.
 */
export class PendingCalls {
  #nextId = 1;
  readonly #calls = new Map<number, PendingCall>();

  add(path: string, args: unknown[], timeoutMs: number, key?: string): { call: BatchedCall; promise: Promise<unknown> } {
    const call: BatchedCall = { id: this.#nextId++, path, args };
    if (key !== undefined) call.key = key;
    const promise = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(call.id, new RpcError('TIMEOUT' satisfies WirestoreErrorCode, `${path} got no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#calls.set(call.id, { call, resolve, reject, timer, sent: false });
    });
    return { call, promise };
  }

  markSent(id: number): void {
    const pending = this.#calls.get(id);
    if (pending) pending.sent = true;
  }

  /** Calls not yet written to any socket, oldest first. */
  unsent(): BatchedCall[] {
    const result: BatchedCall[] = [];
    for (const pending of this.#calls.values()) if (!pending.sent) result.push(pending.call);
    return result;
  }

  resolve(id: number, data: unknown): void {
    const pending = this.#take(id);
    pending?.resolve(data);
  }

  fail(id: number, error: RpcError | ErrorBody): void {
    const pending = this.#take(id);
    pending?.reject(error instanceof RpcError ? error : RpcError.from(error));
  }

  /**
   * The socket dropped. A call sent with an idempotency key goes out again on the next socket
   * (the server runs it at most once); one sent without a key rejects with DISCONNECTED, since
   * it may or may not have run. Unsent calls keep waiting.
   */
  failSent(): void {
    for (const [id, pending] of this.#calls) {
      if (!pending.sent) continue;
      if (pending.call.key !== undefined) pending.sent = false;
      else
        this.fail(
          id,
          new RpcError('DISCONNECTED' satisfies WirestoreErrorCode, `connection lost while ${pending.call.path} was in flight`),
        );
    }
  }

  failAll(code: string, message: string, details?: unknown): void {
    for (const id of [...this.#calls.keys()]) this.fail(id, new RpcError(code, message, details));
  }

  #take(id: number): PendingCall | undefined {
    const pending = this.#calls.get(id);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.#calls.delete(id);
    return pending;
  }
}
