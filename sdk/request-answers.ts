import type { ErrorBody } from '../protocol/error-codes';
import { REQUEST_SIGNAL, type SignalFrame, type UserReply, type UserRequest } from '../protocol/frames';

/**
 * Answers the server's requests named `event` (`server.requestUser`) with `handler`'s result, or
 * with the error it threw (its `code`, when it has one, and message). Returns the function that
 * stops answering. The reply is a keyed call: cut off by a reconnect, it is resent and counts once.
 * @internal Behind `client.onRequest`.
 */
export function answerRequests<Data>(
  onSignal: (listener: (signal: SignalFrame) => void) => () => void,
  reply: (id: string, answer: UserReply) => Promise<unknown>,
  event: string,
  handler: (data: Data) => unknown,
): () => void {
  return onSignal((signal) => {
    const request = signal.data as UserRequest;
    if (signal.event === REQUEST_SIGNAL && request.event === event)
      (async () => handler(request.data as Data))()
        .then(
          (data): UserReply => ({ ok: true, data }),
          // The server reads a missing code as REQUEST_FAILED.
          (error: { code?: string; message?: string }): UserReply => ({
            ok: false,
            error: { code: error?.code, message: error?.message ?? error } as ErrorBody, // the server makes it a string
          }),
        )
        .then((answer) => reply(request.id, answer))
        .catch(() => {});
  });
}
