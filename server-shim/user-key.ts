/**
 * `user:<id>` for a user whose `authenticate` result has a string or number `id`, else undefined.
 * The one rule by which the shim tells users apart (presence entries, client-publish senders,
 * exactly-once windows); each caller says what stands in when there is no id.
 * @internal
 */
export function userIdKey(user: unknown): string | undefined {
  const id = (user as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? `user:${id}` : undefined;
}
