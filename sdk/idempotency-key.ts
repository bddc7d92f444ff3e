/** A fresh idempotency key: a UUID where the platform has one, else 122 random bits. */
export function newIdempotencyKey(): string {
  const cryptoApi = globalThis.crypto as Crypto | undefined;
  if (cryptoApi?.randomUUID) return cryptoApi.randomUUID();
  let key = '';
  while (key.length < 24) key += Math.floor(Math.random() * 2 ** 31).toString(36);
  return key;
}

/**
 * This client's instance id, sent in its hello: the server scopes the exactly-once window of
 * users without an id to it. Kept in localStorage where there is one, so calls replayed from the
 * offline queue after a reload land in the same window.
 */
export function clientInstanceId(): string {
  try {
    const storage = globalThis.localStorage as Storage | undefined;
    const id = storage?.getItem('wirestore:instance') ?? newIdempotencyKey();
    storage?.setItem('wirestore:instance', id);
    return id;
  } catch {
    return newIdempotencyKey(); // storage blocked (privacy mode, sandboxed frame)
  }
}
