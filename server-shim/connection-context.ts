import type { ConfirmedPublishOptions, Context, PublishOptions } from './context';

/** What every context's methods do: the hub's own operations, shared by all connections. */
export interface HubActions {
  publish(topic: string, event: string, data: unknown, options?: PublishOptions): number | undefined;
  publishConfirmed(topic: string, event: string, data: unknown, options?: ConfirmedPublishOptions): Promise<number | undefined>;
  signal(connectionId: string, event: string, data: unknown): boolean;
  throttle(topic: string, event: string, data: unknown, intervalMs: number): void;
  debounce(topic: string, event: string, data: unknown, quietMs: number): void;
  moveCursor(ctx: Context, topic: string, data: Record<string, unknown>): void;
}

/**
 * Makes the `ctx` handlers receive. Each context is two own fields over one prototype that the
 * hub's connections share, instead of a closure per method per connection: an idle connection
 * costs a few dozen bytes here. Methods still work when destructured (`({ publish }) => …`):
 * none of them uses `this`, and `moveCursor` is a getter that binds on access.
 * @internal
 */
export function contextFactory(actions: HubActions): (user: unknown, connectionId: string) => Context {
  const shared = {
    publish: actions.publish,
    publishConfirmed: actions.publishConfirmed,
    signal: actions.signal,
    throttle: actions.throttle,
    debounce: actions.debounce,
    get moveCursor() {
      const ctx = this as unknown as Context;
      return (topic: string, data: Record<string, unknown>) => actions.moveCursor(ctx, topic, data);
    },
  };
  return (user, connectionId) => Object.assign(Object.create(shared) as Context, { user, connectionId });
}

/** The context a stream loader receives: the connection's, plus the page cursor. */
export function withCursor(ctx: Context, cursor: unknown): Context & { cursor: unknown } {
  return Object.assign(Object.create(ctx) as Context, { user: ctx.user, connectionId: ctx.connectionId, cursor });
}
