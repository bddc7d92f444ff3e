import { asArray, DEFAULT_LATEST_MAX, type Merger } from './merge';

/** A ring buffer of the last `max` events' data, oldest first. */
export interface LatestState {
  items: unknown[];
  /** Index of the oldest item once the ring is full. */
  start: number;
  max: number;
}

function push(state: LatestState, item: unknown): void {
  if (state.max === 0) return;
  if (state.items.length < state.max) state.items.push(item);
  else {
    state.items[state.start] = item;
    state.start = (state.start + 1) % state.max;
  }
}

/**
 * `latest`: every event appends its data; only the last `max` are kept (`max: 0` keeps none: the
 * value stays `[]`). A `set` event replaces all.
 */
export function latestMerger(max = DEFAULT_LATEST_MAX): Merger<LatestState, unknown[]> {
  const limit = Math.max(0, Math.floor(max));
  const init = (data: unknown): LatestState => {
    const state: LatestState = { items: [], start: 0, max: limit };
    for (const item of limit === 0 ? [] : asArray(data).slice(-limit)) push(state, item);
    return state;
  };
  return {
    init,
    apply(state, event, data) {
      if (event === 'set') Object.assign(state, init(data));
      else push(state, data);
      return true;
    },
    view: (state) => [...state.items.slice(state.start), ...state.items.slice(0, state.start)],
  };
}
