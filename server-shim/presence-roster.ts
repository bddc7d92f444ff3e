import type { Logger } from './options';
import type { PresenceEntry, PresenceRoster } from './presence';

/** What a roster does once it knows a join or a leave is everyone's: publish it on the presence topic. @internal */
export interface PresenceAnnouncer {
  join(topic: string, entry: PresenceEntry): void;
  leave(topic: string, userKey: string, publicKey: string): void;
}

/** Presence kept in Redis (see `SharedPresence`): one entry per user over every process. @internal */
export interface PresenceStore {
  join(topic: string, connection: string, user: string, data: unknown): Promise<boolean>;
  leave(topic: string, connections: string[]): Promise<string[]>;
  sweep(topic: string): Promise<string[]>;
  members(topic: string): Promise<Array<{ key: string; data: unknown }>>;
}

/** One process is everyone: a user arriving here joins, leaving here leaves. @internal */
export function localRoster(announce: PresenceAnnouncer): PresenceRoster {
  return {
    arrived: (topic, _userKey, entry) => announce.join(topic, entry),
    departed: (topic, userKey, entry) => announce.leave(topic, userKey, entry.key),
    members: (_topic, here) => here,
    stop: () => {},
  };
}

export interface ClusterRosterDeps {
  store: PresenceStore;
  /** This process's id: its entries are `<node>/<userKey>`, one per user however many tabs here. */
  node: string;
  announce: PresenceAnnouncer;
  /** The users with connections here, per topic. */
  localUsers(): ReadonlyMap<string, ReadonlyMap<string, { entry: PresenceEntry }>>;
  publicKey(userKey: string): string;
  logger: Logger;
  /** How often this process re-lists its users and sweeps the ones whose process went silent. */
  refreshMs: number;
}

/**
 * Presence across processes: a user joins when their first connection anywhere arrives and
 * leaves with their last. Every `refreshMs` each process lists its users again (which also brings
 * them back after Redis lost its data) and sweeps the entries no process refreshed in time: the
 * users of a process that died leave within the store's expiry plus one sweep.
 * @internal
 */
export function clusterRoster(deps: ClusterRosterDeps): PresenceRoster {
  const { store, node, announce, logger } = deps;
  const failed = (what: string) => (error: unknown) => logger.warn(`[wirestore] presence: could not ${what} in Redis:`, error);
  const list = (topic: string, userKey: string, entry: PresenceEntry) =>
    store
      .join(topic, `${node}/${userKey}`, userKey, entry)
      .then((first) => first && announce.join(topic, entry))
      .catch(failed('list a user'));
  const tick = () => {
    for (const [topic, room] of deps.localUsers()) {
      for (const [userKey, member] of room) void list(topic, userKey, member.entry);
      void store
        .sweep(topic)
        .then((left) => left.forEach((userKey) => announce.leave(topic, userKey, deps.publicKey(userKey))))
        .catch(failed('sweep'));
    }
  };
  const timer = setInterval(tick, deps.refreshMs);
  timer.unref?.();
  return {
    arrived: (topic, userKey, entry) => void list(topic, userKey, entry),
    departed(topic, userKey, entry) {
      void store
        .leave(topic, [`${node}/${userKey}`])
        .then((left) => left.includes(userKey) && announce.leave(topic, userKey, entry.key))
        .catch(failed('unlist a user'));
    },
    members: (topic, here) =>
      store.members(topic).then(
        (entries) => entries.map((entry) => entry.data as PresenceEntry),
        () => here,
      ),
    stop: () => clearInterval(timer),
  };
}
