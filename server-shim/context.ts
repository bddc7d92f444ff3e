import type { StreamDefinition } from './stream-definition';

/** Options of `publishConfirmed`. */
export interface ConfirmedPublishOptions {
  /**
   * The publish's own id (an order id, a message id): a publish retried with the same id on the
   * same topic within 10 minutes is not sent again, and resolves with the first one's seq.
   */
  id?: string;
}

/** Options of `publish`. */
export interface PublishOptions {
  /** Stamp a per-topic sequence number (default true). Opt out for fire-and-forget traffic. */
  seq?: boolean;
}

/** What every RPC handler and access hook receives as its first argument. */
export interface Context<User = unknown> {
  /** Whatever `authenticate` returned for this connection (undefined without `authenticate`). */
  readonly user: User;
  /** This connection's id, unique within the server process; usable with `signal`. */
  readonly connectionId: string;
  /**
   * Publishes to every subscriber of `topic`; returns the seq stamped by the memory engine. With
   * Redis it returns undefined, and a failure is logged: see `publishConfirmed`.
   */
  publish(topic: string, event: string, data: unknown, options?: PublishOptions): number | undefined;
  /**
   * Publishes and resolves with the seq once the event is stored for replay, or rejects with a
   * `LiveError` `UNAVAILABLE` when Redis cannot be reached (thrown from a handler, the caller
   * gets it as the call's error).
   * @example await ctx.publishConfirmed('orders', 'paid', order)
   */
  publishConfirmed(topic: string, event: string, data: unknown, options?: ConfirmedPublishOptions): Promise<number | undefined>;
  /** Sends a point-to-point message to one connection; false if it is gone. */
  signal(connectionId: string, event: string, data: unknown): boolean;
  /** Publishes at most once per `intervalMs` per topic and event: the first at once, the latest at the end. */
  throttle(topic: string, event: string, data: unknown, intervalMs: number): void;
  /** Publishes only the last of a burst, once `quietMs` passed without another. */
  debounce(topic: string, event: string, data: unknown, quietMs: number): void;
  /** Moves this user's cursor on `topic` (presence topics): throttled per user, coalesced per subscriber. */
  moveCursor(topic: string, data: Record<string, unknown>): void;
}

/** An RPC handler: `ctx` first, then the client's arguments. */
export type RpcHandler<User = unknown> = (ctx: Context<User>, ...args: never[]) => unknown;

/**
 * The API object: handlers, stream declarations (`stream()`, `channel()`), or nested objects of
 * them (`{ todos: { add } }` → `todos/add`).
 */
export interface ApiObject {
  [name: string]: RpcHandler<never> | StreamDefinition<unknown> | ApiObject;
}
