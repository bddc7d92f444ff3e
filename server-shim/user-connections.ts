import { userIdKey } from './user-key';
import type { LiveSocket } from './socket-data';

const NONE: ReadonlySet<LiveSocket> = new Set();

/**
 * The open connections of each user with an `id`, so a server push to a user reaches every tab
 * and device they have on this process. Entries go with their last connection.
 * @internal
 */
export class UserConnections {
  readonly #byUser = new Map<string, Set<LiveSocket>>();

  add(ws: LiveSocket): void {
    const key = userIdKey(ws.getUserData().user);
    if (key === undefined) return;
    let connections = this.#byUser.get(key);
    if (!connections) this.#byUser.set(key, (connections = new Set()));
    connections.add(ws);
  }

  remove(ws: LiveSocket): void {
    const key = userIdKey(ws.getUserData().user);
    const connections = key === undefined ? undefined : this.#byUser.get(key);
    if (!connections) return;
    connections.delete(ws);
    if (connections.size === 0) this.#byUser.delete(key!);
  }

  /** The connections of the user whose `id` is `id`. */
  of(id: string | number): ReadonlySet<LiveSocket> {
    return this.#byUser.get(userIdKey({ id })!) ?? NONE;
  }
}
