import { ErrorCode } from '../protocol/error-codes';
import { CURSOR_MOVE_PATH, CURSORS_STREAM, PRESENCE_STREAM } from '../protocol/frames';
import type { AnyHandler } from './api-registry';
import type { CoalescedMessage } from './live-hub';
import type { ConnectionLimits } from './connection-limits';
import type { Context } from './context';
import { LiveError } from './live-error';
import type { Logger } from './options';
import { cursorTopic, PresenceTracker, presenceTopic, type PresenceOptions, type PresenceRoster } from './presence';
import { clusterRoster, localRoster, type PresenceAnnouncer, type PresenceStore } from './presence-roster';
import { measurePublishable } from './publishable';
import type { PublishTiming } from './publish-timing';
import type { LiveSocket } from './socket-data';
import { channel, stream, type StreamDefinition } from './stream-definition';

export interface PresenceDeps {
  publish(topic: string, event: string, data: unknown, options?: { seq?: boolean }): unknown;
  publishCoalesced(message: CoalescedMessage): void;
  timing: PublishTiming;
  limits: ConnectionLimits;
  socketOf(connectionId: string): LiveSocket | undefined;
  publicKey(internalKey: string): string;
  /** Presence across processes (the Redis engine); without it, this process is everyone. */
  cluster?: { store: PresenceStore; node: string; logger: Logger };
}

/** Presence and cursors, wired into a hub: the tracker, the built-in streams and the cursor RPC. @internal */
export interface PresenceWiring<User> {
  tracker: PresenceTracker<User>;
  moveCursor(ctx: Context, topic: string, data: Record<string, unknown>): void;
}

/**
 * Registers the `__presence` and `__cursors` streams and the cursor RPC, and returns the
 * tracker. Cursor payloads are capped by `maxCursorBytes`; moves are rate limited per connection
 * and throttled per user; only members of a topic may move a cursor on it.
 */
export function wirePresence<User>(
  options: PresenceOptions<User>,
  deps: PresenceDeps,
  handlers: Map<string, AnyHandler>,
  streams: Map<string, StreamDefinition>,
): PresenceWiring<User> {
  const maxCursorBytes = options.maxCursorBytes ?? 1024;
  const interval = options.cursorIntervalMs ?? 50;
  const timingKey = (topic: string, userKey: string) => `cursor\u0000${topic}\u0000${userKey}`;
  const announce: PresenceAnnouncer = {
    join: (topic, entry) => deps.publish(presenceTopic(topic), 'join', entry),
    leave(topic, userKey, publicKey) {
      deps.publish(presenceTopic(topic), 'leave', { key: publicKey });
      deps.timing.cancel(timingKey(topic, userKey));
      deps.publish(cursorTopic(topic), 'remove', { key: publicKey }, { seq: false });
    },
  };
  const roster: PresenceRoster = deps.cluster
    ? clusterRoster({
        ...deps.cluster,
        announce,
        localUsers: () => tracker.localUsers(),
        publicKey: deps.publicKey,
        refreshMs: 3_000,
      })
    : localRoster(announce);
  const tracker: PresenceTracker<User> = new PresenceTracker<User>(options, roster, deps.publicKey);
  const moveCursor = (ctx: Context, topic: string, data: Record<string, unknown>) => {
    if (!tracker.tracks(topic)) return;
    if (measurePublishable(data) > maxCursorBytes) {
      throw new LiveError(ErrorCode.PAYLOAD_TOO_LARGE, `a cursor may carry at most ${maxCursorBytes} bytes`);
    }
    const userKey = tracker.userKey(ctx.user as User, ctx.connectionId);
    const key = deps.publicKey(userKey);
    deps.timing.throttle(timingKey(topic, userKey), interval, () =>
      deps.publishCoalesced({ key, topic: cursorTopic(topic), event: 'update', data: { ...data, key } }),
    );
  };

  const watched = (_ctx: Context<never>, topic: string) => topic;
  streams.set(PRESENCE_STREAM, {
    ...stream(
      (_ctx, topic: string) => presenceTopic(topic),
      (_ctx, topic: string) => tracker.members(topic),
      { merge: 'presence' },
    ),
    accessTopic: watched as never,
  });
  streams.set(CURSORS_STREAM, {
    ...channel((_ctx, topic: string) => cursorTopic(topic), { merge: 'cursor' }),
    accessTopic: watched as never,
  });
  handlers.set(CURSOR_MOVE_PATH, (ctx, topic, data) => {
    const context = ctx as Context;
    const ws = deps.socketOf(context.connectionId);
    if (!ws) return null;
    if (!deps.limits.admit(ws, 'cursors')) throw new LiveError(ErrorCode.RATE_LIMITED, 'too many cursor moves');
    if (typeof topic !== 'string' || typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new LiveError(ErrorCode.INVALID_REQUEST, 'moveCursor(topic, data): topic must be a string and data an object');
    }
    if (!tracker.tracks(topic)) throw new LiveError(ErrorCode.INVALID_REQUEST, `presence is off for "${topic}" (see presence.topics)`);
    // Only members of a topic may move a cursor on it.
    if (!ws.getUserData().topics.has(topic)) {
      throw new LiveError(ErrorCode.FORBIDDEN, `not on "${topic}": join it first (client.presence or client.cursors joins it)`);
    }
    moveCursor(context, topic, data as Record<string, unknown>);
    return null;
  });
  return { tracker, moveCursor };
}
