/** A fresh idempotency key: a UUID where the platform has one, else 122 random bits. */
export function newIdempotencyKey(): string {
  const cryptoApi = globalThis.crypto as Crypto | undefined;
  if (cryptoApi?.randomUUID) return cryptoApi.randomUUID();
  let key = '';
  for (let i = 0; i < 4; i++) key += Math.floor(Math.random() * 2 ** 31).toString(36);
  return key;
}
