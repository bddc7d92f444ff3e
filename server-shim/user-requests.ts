import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes';
import type { UserReply, UserRequest } from '../protocol/frames';
import { LiveError } from './live-error';

interface Pending {
  userKey: string;
  resolve(data: unknown): void;
  reject(error: LiveError): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Requests waiting for an answer at once, per process; past it `requestUser` refuses new ones. */
const MAX_PENDING = 10_000;

/**
 * `server.requestUser`: asks every connection of a user (through the engine, on whichever process
 * holds them) and settles with the first answer, or TIMEOUT. A request's id names the process that
 * waits for it, so a reply given on another process finds its way back (`ownerOf`).
 * @internal
 */
export class UserRequests {
  readonly #pending = new Map<string, Pending>();

  constructor(
    /** This process's id in the cluster. */
    private readonly node: string,
    /** Sends the request signal to the user's connections; resolves with how many were reached. */
    private readonly send: (userKey: string, request: UserRequest) => Promise<number>,
  ) {}

  async request(userKey: string, event: string, data: unknown, timeoutMs: number): Promise<unknown> {
    if (this.#pending.size >= MAX_PENDING) throw new LiveError(ErrorCode.RATE_LIMITED, `more than ${MAX_PENDING} requests are waiting`);
    const id = `${this.node}/${randomUUID()}`;
    const answered = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () => this.#settle(id, new LiveError(ErrorCode.TIMEOUT, `no answer to "${event}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      timer.unref?.();
      this.#pending.set(id, { userKey, resolve, reject, timer });
    });
    const reached = await this.send(userKey, { id, event, data }).catch((error: unknown) => {
      this.#settle(id, error instanceof LiveError ? error : new LiveError(ErrorCode.INTERNAL_ERROR, String(error)));
      return -1;
    });
    if (reached === 0) this.#settle(id, new LiveError(ErrorCode.NOT_FOUND, 'the user has no open connection'));
    return answered;
  }

  /** The process a request id belongs to. */
  static ownerOf(id: string): string {
    return id.slice(0, id.lastIndexOf('/'));
  }

  /** A user's answer, given here or forwarded from another process; ignored unless it is that user's open request. */
  answer(id: string, fromUserKey: string, reply: UserReply): boolean {
    const pending = this.#pending.get(id);
    if (!pending || pending.userKey !== fromUserKey) return false;
    if (reply.ok) {
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      pending.resolve(reply.data);
    } else {
      const { code, message } = reply.error ?? {};
      this.#settle(id, new LiveError(typeof code === 'string' ? code : 'REQUEST_FAILED', String(message ?? 'the request failed')));
    }
    return true;
  }

  stop(): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, new LiveError(ErrorCode.UNAVAILABLE, 'the server is shutting down'));
  }

  #settle(id: string, error: LiveError): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    pending.reject(error);
  }
}
