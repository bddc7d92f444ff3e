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

  /** `onFirst` / `onLast`: a user's first connection here opened, their last one closed (the engine routes pushes by it). */
  constructor(
    private readonly onFirst: (id: string) => void = () => {},
    private readonly onLast: (id: string) => void = () => {},
  ) {}

  add(ws: LiveSocket): void {
    const key = userIdKey(ws.getUserData().user);
    if (key === undefined) return;
    let connections = this.#byUser.get(key);
    if (!connections) {
      this.#byUser.set(key, (connections = new Set()));
      this.onFirst(key);
    }
    connections.add(ws);
  }

  remove(ws: LiveSocket): void {
    const key = userIdKey(ws.getUserData().user);
    const connections = key === undefined ? undefined : this.#byUser.get(key);
    if (!connections) return;
    connections.delete(ws);
    if (connections.size > 0) return;
    this.#byUser.delete(key!);
    this.onLast(key!);
  }

  /** The connections of the user whose `id` is `id`. */
  of(id: string | number): ReadonlySet<LiveSocket> {
    return this.ofKey(userIdKey({ id })!);
  }

  /** The connections of the user with this {@link userIdKey}. */
  ofKey(key: string): ReadonlySet<LiveSocket> {
    return this.#byUser.get(key) ?? NONE;
  }
}
