import type { CrudActions, MergeConfig, MergeStrategyName, StreamPage } from '../protocol/frames';
import type { Context } from './context';

/** The brand that tells stream declarations apart from nested API objects (also at the type level). */
export const STREAM_BRAND = '__wirestoreStream';

/** What a stream loader receives: the usual context, plus the page cursor when paginating. */
export interface StreamContext<User = unknown> extends Context<User> {
  /** The `cursor` of the previous page, on `loadMore`; undefined for the first page. */
  readonly cursor?: unknown;
}

/** Options of {@link stream} and {@link channel}. */
export interface StreamOptions {
  /** How clients fold events into the value. Default `crud`. */
  merge?: MergeStrategyName;
  /** `crud` key field. Default `id`. */
  key?: string;
  /** `crud`: new items first. */
  prepend?: boolean;
  /** `latest`: events kept. Default 50. */
  max?: number;
  /**
   * `crud`: the RPC paths behind the client store's `create(item)`, `update(item)` and
   * `remove(key)`, which are optimistic and undoable with no further code.
   */
  actions?: CrudActions;
}

/** A stream loader's result: the data, or one page of it `{ data, hasMore, cursor }`. */
export type StreamLoadResult<Data> = Data | (StreamPage & { data: Data });

export interface StreamDefinition<Data = unknown> {
  readonly [STREAM_BRAND]: true;
  /** A fixed topic, or one computed from the subscriber's context and arguments. */
  readonly topic: string | ((ctx: Context<never>, ...args: never[]) => string);
  readonly load: ((ctx: StreamContext<never>, ...args: never[]) => StreamLoadResult<Data> | Promise<StreamLoadResult<Data>>) | undefined;
  readonly merge: MergeConfig;
  readonly actions?: CrudActions;
  /** @internal The shim's own streams: the topic whose access rules apply. */
  readonly accessTopic?: (ctx: Context<never>, ...args: never[]) => string;
}

function mergeConfig(options: StreamOptions): MergeConfig {
  const config: MergeConfig = { strategy: options.merge ?? 'crud' };
  if (config.strategy === 'crud') config.key = options.key ?? 'id';
  if (options.prepend) config.prepend = true;
  if (config.strategy === 'latest') config.max = options.max ?? 50;
  return config;
}

/**
 * Declares a live stream in the API object: subscribing runs the access hook, then `load`, then
 * joins `topic`, as one step, so no event published meanwhile is lost or arrives before the data.
 * @example
 * export const api = {
 *   todos: {
 *     list: stream('todos', (ctx) => db.todos.all(), { merge: 'crud' }),
 *     add: (ctx, text) => { const todo = db.todos.insert(text); ctx.publish('todos', 'created', todo); return todo },
 *   },
 *   room: stream((ctx, roomId: string) => `room:${roomId}`, (ctx, roomId: string) => db.messages(roomId), { merge: 'latest', max: 100 }),
 * };
 */
export function stream<Data, Args extends unknown[] = [], User = never>(
  topic: string | ((ctx: Context<User>, ...args: Args) => string),
  load: (ctx: StreamContext<User>, ...args: Args) => StreamLoadResult<Data> | Promise<StreamLoadResult<Data>>,
  options: StreamOptions = {},
): StreamDefinition<Data> & { readonly __args?: Args; readonly __data?: Data } {
  if (typeof topic !== 'string' && typeof topic !== 'function') throw new TypeError('stream: topic must be a string or a function');
  if (typeof load !== 'function') throw new TypeError('stream: load must be a function; use channel() for a stream without initial data');
  return {
    [STREAM_BRAND]: true,
    topic: topic as StreamDefinition['topic'],
    load: load as unknown as StreamDefinition<Data>['load'],
    merge: mergeConfig(options),
    ...(options.actions && { actions: options.actions }),
  };
}

/**
 * A stream with no loader, for ephemeral topics (cursors, typing indicators): clients start
 * empty and fold live events in.
 * @example cursors: channel((ctx, docId: string) => `cursors:${docId}`, { merge: 'cursor' })
 */
export function channel<Args extends unknown[] = [], User = never>(
  topic: string | ((ctx: Context<User>, ...args: Args) => string),
  options: StreamOptions = {},
): StreamDefinition<unknown> & { readonly __args?: Args; readonly __data?: unknown[] } {
  return {
    [STREAM_BRAND]: true,
    topic: topic as StreamDefinition['topic'],
    load: undefined,
    merge: mergeConfig(options),
    ...(options.actions && { actions: options.actions }),
  };
}

export function isStreamDefinition(value: unknown): value is StreamDefinition {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[STREAM_BRAND] === true;
}

/** Tells a page `{ data, hasMore, cursor? }` from plain data. */
export function readPage(result: unknown): StreamPage {
  if (
    result !== null &&
    typeof result === 'object' &&
    !Array.isArray(result) &&
    'data' in result &&
    typeof (result as StreamPage).hasMore === 'boolean'
  ) {
    const page = result as StreamPage;
    return page.cursor === undefined
      ? { data: page.data, hasMore: page.hasMore }
      : { data: page.data, hasMore: page.hasMore, cursor: page.cursor };
  }
  return { data: result, hasMore: false };
}
