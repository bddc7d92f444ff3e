import { ErrorCode } from '../protocol/error-codes';
import { REPLY_PATH, REQUEST_SIGNAL, type UserReply } from '../protocol/frames';
import type { AnyHandler } from './api-registry';
import type { Context } from './context';
import type { EngineRuntime } from './engine';
import { LiveError } from './live-error';
import { userIdKey } from './user-key';
import { UserRequests } from './user-requests';

/**
 * `requestUser` in a hub: the pending requests, and the reserved RPC that carries a client's
 * answer (`client.onRequest`) to them, here or, through the engine, on the process that asked.
 * @internal
 */
export function wireUserRequests(engine: EngineRuntime, handlers: Map<string, AnyHandler>): UserRequests {
  const requests = new UserRequests(engine.node, (userKey, request) => engine.sendToUser(userKey, REQUEST_SIGNAL, request));
  handlers.set(REPLY_PATH, (ctx, id, reply) => {
    const user = userIdKey((ctx as Context).user);
    if (typeof id !== 'string' || id.length > 200 || !isReply(reply)) {
      throw new LiveError(ErrorCode.INVALID_REQUEST, `${REPLY_PATH} takes [requestId, { ok, data } | { ok: false, error }]`);
    }
    if (user === undefined) return false; // requests go to users with an id: nobody else can answer one
    const owner = UserRequests.ownerOf(id);
    if (owner === engine.node) return requests.answer(id, user, reply);
    engine.forwardReply(owner, { id, user, reply });
    return true;
  });
  return requests;
}

function isReply(value: unknown): value is UserReply {
  const reply = value as Partial<{ ok: unknown; error: unknown }> | null;
  return typeof reply === 'object' && reply !== null && typeof reply.ok === 'boolean' && (reply.ok || typeof reply.error === 'object');
}
