import type { EventEnvelope, UserReply } from '../protocol/frames';
import type { CoalescedMessage } from './live-hub';
import type { Outcome } from './idempotency';
import type { Logger } from './options';
import type { PresenceStore } from './presence-roster';
import type { Topics } from './topics';

/**
 * Where a server's topics are sequenced and shared: `memoryEngine()` (the default: one process)
 * or `redisEngine({ url })` from `wirestore/redis` (N processes as one). Pass it as
 * `createServer({ engine })`.
 */
export interface Engine {
  /** `memory` or `redis`. */
  readonly name: string;
}

/** A topic's position in its seq space. */
export interface TopicPosition {
  epoch: string;
  seq: number;
}

/** What an engine is handed by the hub it runs in. @internal */
export interface EngineHost {
  topics: Topics;
  logger: Logger;
  /** The cluster lost a topic's history: its subscribers here reload from `position`. */
  resetTopic(topic: string, position: TopicPosition): void;
  /** Sends a push to this process's connections of a user (by `userIdKey`); returns how many it reached. */
  deliverToUser(userKey: string, event: string, data: unknown): number;
  /** A user's answer to a request this process made (`requestUser`), given on another process. */
  answerRequest(reply: ForwardedReply): void;
  /** Latest-value messages for this process's subscribers of `message.topic`. */
  deliverCoalesced(message: CoalescedMessage): void;
  /** Tells every connection whether the engine is usable (false: Redis unreachable). */
  setAvailable(available: boolean, reason: string): void;
}

/** A user's answer to a request, on its way to the process that asked. @internal */
export interface ForwardedReply {
  id: string;
  /** The answering user, as authenticated where they answered (`userIdKey`). */
  user: string;
  reply: UserReply;
}

/** A call's run-once guard, per scope and key. @internal */
export interface RunOnce {
  /** False: keys are ignored and every call runs. */
  readonly enabled: boolean;
  run(scope: string, key: string, path: string, execute: () => Outcome | Promise<Outcome>): Outcome | Promise<Outcome>;
  /** The reply's size, once sent (the memory window budgets by bytes). */
  sized(scope: string, key: string, bytes: number): void;
}

/** An engine at work inside one hub. @internal */
export interface EngineRuntime {
  /** Resolves once the engine can take traffic (connected, scripts loaded). */
  readonly ready: Promise<void>;
  /**
   * Sequences an event and gets it to every subscriber in the cluster: synchronously to a seq
   * (memory), or to a promise of one that rejects with a LiveError `UNAVAILABLE` (Redis away).
   */
  publish(
    topic: string,
    event: string,
    data: unknown,
    sender: string | undefined,
    /** A publish id: a publish retried with it within 10 minutes is not sent twice (its first seq comes back). */
    id?: string,
  ): number | undefined | Promise<number | undefined>;
  /** An event without a seq (`{ seq: false }`): fire-and-forget to every subscriber in the cluster. */
  publishUnsequenced(topic: string, event: string, data: unknown): void;
  /** A latest-value message to every subscriber of `message.topic` in the cluster. */
  publishCoalesced(message: CoalescedMessage): void;
  /**
   * Before a connection joins `topic`: its state here follows the cluster's (adopted position,
   * events flowing). Undefined when there is nothing to wait for.
   */
  follow(topic: string): Promise<void> | undefined;
  /** Events after `from` as the engine holds them, contiguous; undefined when some are gone (reload), or the engine keeps no history beyond this process. */
  history(topic: string, from: TopicPosition): Promise<EventEnvelope[] | undefined> | undefined;
  /** Nobody here needs `topic` any more. */
  release(topic: string): void;
  /** A user (by `userIdKey`) has their first connection here, or closed their last one. */
  userConnected(userKey: string): void;
  userDisconnected(userKey: string): void;
  /** Reaches every connection of the user (by `userIdKey`) in the cluster; resolves with how many. */
  sendToUser(userKey: string, event: string, data: unknown): Promise<number>;
  /** This process's id in the cluster (request ids name it). */
  readonly node: string;
  /** Sends a user's answer to the process `node` that asked (never this one). */
  forwardReply(node: string, reply: ForwardedReply): void;
  /** The shared run-once window, or undefined to use this process's own. */
  readonly runOnce: RunOnce | undefined;
  /**
   * A call limit shared by every process, per scope (user, else client instance), or undefined
   * when only the per-connection limits of this process apply.
   */
  readonly callLimit: ((scope: string) => Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }>) | undefined;
  /** Presence shared by every process, or undefined when this process is everyone. */
  readonly presence: { store: PresenceStore; node: string } | undefined;
  /**
   * The secret behind the opaque keys others see (presence, cursors, senders), when every process
   * must derive the same ones; undefined: this process's own (read after `ready`).
   */
  keySecret(): string | undefined;
  stop(): Promise<void>;
}

/** How an engine is started inside a hub. @internal */
export type EngineFactory = (host: EngineHost) => EngineRuntime;

const factories = new WeakMap<Engine, EngineFactory>();

/** Makes an engine value users pass around; its workings stay internal. @internal */
export function defineEngine<E extends Engine>(engine: E, factory: EngineFactory): E {
  factories.set(engine, factory);
  return engine;
}

/** Starts `engine` inside a hub; a value that is not an engine is a programmer error, said at once. @internal */
export function startEngine(engine: Engine, host: EngineHost): EngineRuntime {
  const factory = factories.get(engine);
  if (!factory) {
    throw new TypeError('options.engine must come from memoryEngine() (wirestore/server) or redisEngine({ url }) (wirestore/redis)');
  }
  return factory(host);
}
