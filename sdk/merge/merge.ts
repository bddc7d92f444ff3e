import type { MergeConfig } from '../../protocol/frames';

/**
 * How a stream folds events into its value. Pure in the sense that matters: no I/O, no sockets,
 * plain data in and out, so each is tested alone. `apply` changes the state it owns in place
 * (that is what makes a keyed update O(1)); `view` makes the value subscribers see, a new
 * reference once per pass of events, however many the pass held.
 */
export interface Merger<State = unknown, Value = unknown> {
  /** State from a loader snapshot (or hydrated data). */
  init(data: unknown): State;
  /** Applies one event; returns false when the event means nothing to this strategy. */
  apply(state: State, event: string, data: unknown): boolean;
  /** The store's value for the current state. */
  view(state: State): Value;
  /** Adds a next page of a paginated loader; strategies without pages leave this out. */
  appendPage?(state: State, data: unknown): void;
  /** Keyed strategies: the key an event's data is about (the item's key field, or a bare key). */
  keyOf?(data: unknown): unknown;
  /** Keyed strategies: whether the state holds an item with this key. */
  has?(state: State, key: unknown): boolean;
  /** Keyed strategies: the item with this key. */
  get?(state: State, key: unknown): unknown;
  /** Keyed strategies: the key field. */
  readonly keyField?: string;
}

export const DEFAULT_MERGE: MergeConfig = { strategy: 'crud', key: 'id' };
export const DEFAULT_LATEST_MAX = 50;

export function asArray(data: unknown): unknown[] {
  return Array.isArray(data) ? data : data === undefined || data === null ? [] : [data];
}
