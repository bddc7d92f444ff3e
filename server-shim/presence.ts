import { userIdKey } from './user-key';

/** Presence: who is on a topic, one entry per user however many tabs, with a grace on leave. */
export interface PresenceOptions<User = unknown> {
  /** Which topics track presence. Default: none. */
  topics: (topic: string) => boolean;
  /** The public part of a user that others see (never the whole userData). Default `{}`. */
  select?: (user: User) => Record<string, unknown>;
  /** What makes two connections the same user. Default `user.id`, else the connection. */
  key?: (user: User, connectionId: string) => string;
  /** Largest cursor payload accepted, in estimated encoded bytes. Default 1024. */
  maxCursorBytes?: number;
  /** How long a user who closed their last tab stays listed (a reload must not flicker). Default 3000. */
  leaveGraceMs?: number;
  /** Cursor updates per user and topic: at most one per this many ms (leading and trailing). Default 50. */
  cursorIntervalMs?: number;
}

interface Member {
  /** What others see: `select(user)` plus the opaque `key`. */
  entry: PresenceEntry;
  connections: Set<string>;
  leaveTimer?: ReturnType<typeof setTimeout>;
}

/** The topic presence events are published on. */
export const presenceTopic = (topic: string) => `__presence:${topic}`;
/** The topic cursor updates are published on. */
export const cursorTopic = (topic: string) => `__cursors:${topic}`;

/** A presence entry as others see it. */
export type PresenceEntry = Record<string, unknown> & { key: string };

/**
 * Who is on each topic beyond this process's own connections. The tracker tells it when a user
 * arrives here (first connection) and goes (last one, after the grace); it decides whether that
 * is a join or a leave for everyone, and publishes it. In memory: this process is everyone.
 * @internal
 */
export interface PresenceRoster {
  arrived(topic: string, userKey: string, entry: PresenceEntry): void;
  departed(topic: string, userKey: string, entry: PresenceEntry): void;
  members(topic: string, here: PresenceEntry[]): PresenceEntry[] | Promise<PresenceEntry[]>;
  stop(): void;
}

/** @internal */
export class PresenceTracker<User = unknown> {
  private readonly rooms = new Map<string, Map<string, Member>>();
  private readonly graceMs: number;

  constructor(
    private readonly options: PresenceOptions<User>,
    private readonly roster: PresenceRoster,
    /** Internal key → the opaque key others see. */
    readonly publicKey: (userKey: string) => string,
  ) {
    this.graceMs = options.leaveGraceMs ?? 3000;
  }

  /** The users this process holds connections of, per topic (the cluster roster refreshes them). */
  localUsers(): ReadonlyMap<string, ReadonlyMap<string, Member>> {
    return this.rooms;
  }

  tracks(topic: string): boolean {
    return !topic.startsWith('__') && this.options.topics(topic);
  }

  /** What makes connections the same user, for the shim's own bookkeeping; never sent to clients. */
  userKey(user: User, connectionId: string): string {
    if (this.options.key) return this.options.key(user, connectionId);
    return userIdKey(user) ?? `connection:${connectionId}`;
  }

  /** Everyone on `topic` now, as the presence stream's initial data. */
  members(topic: string): PresenceEntry[] | Promise<PresenceEntry[]> {
    return this.roster.members(
      topic,
      [...(this.rooms.get(topic)?.values() ?? [])].map((member) => member.entry),
    );
  }

  join(topic: string, connectionId: string, user: User): void {
    if (!this.tracks(topic)) return;
    let room = this.rooms.get(topic);
    if (!room) this.rooms.set(topic, (room = new Map()));
    const key = this.userKey(user, connectionId);
    const member = room.get(key);
    if (member) {
      clearTimeout(member.leaveTimer);
      member.leaveTimer = undefined;
      member.connections.add(connectionId);
      return;
    }
    const entry = { ...(this.options.select?.(user) ?? {}), key: this.publicKey(key) };
    room.set(key, { entry, connections: new Set([connectionId]) });
    this.roster.arrived(topic, key, entry);
  }

  leave(topic: string, connectionId: string, user: User): void {
    const room = this.rooms.get(topic);
    const key = this.userKey(user, connectionId);
    const member = room?.get(key);
    if (!room || !member || !member.connections.delete(connectionId) || member.connections.size > 0) return;
    member.leaveTimer = setTimeout(() => {
      if (member.connections.size > 0) return;
      room.delete(key);
      if (room.size === 0) this.rooms.delete(topic);
      this.roster.departed(topic, key, member.entry);
    }, this.graceMs);
  }

  stop(): void {
    this.roster.stop();
    for (const room of this.rooms.values()) for (const member of room.values()) clearTimeout(member.leaveTimer);
  }
}
