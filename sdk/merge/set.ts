import type { Merger } from './merge';

/** `set`: every event replaces the value with its data (counters, status, aggregates). */
export function setMerger(): Merger<{ value: unknown }, unknown> {
  return {
    init: (data) => ({ value: data }),
    apply(state, _event, data) {
      state.value = data;
      return true;
    },
    view: (state) => state.value,
  };
}
