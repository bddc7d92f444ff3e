import { createHmac, randomBytes } from 'node:crypto';

/**
 * Turns an internal user key (`user:42`, or whatever `presence.key` returns, which may hold an
 * email or an IP) into the opaque key other clients see on presence entries, cursors and client
 * publishes: stable for the life of the process, unguessable, and telling nothing about the user.
 * @internal
 */
export function opaqueKeys(shared: () => string | undefined = () => undefined): (internalKey: string) => string {
  const own = randomBytes(32);
  return (internalKey) =>
    createHmac('sha256', shared() ?? own)
      .update(internalKey)
      .digest('base64url')
      .slice(0, 22);
}
