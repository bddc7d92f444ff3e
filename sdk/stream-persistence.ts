import type { MergeConfig, Position } from '../protocol/frames';

/** What a persisted stream keeps between page loads. */
export interface PersistedStream {
  data: unknown;
  position: Position | undefined;
  merge: MergeConfig;
  hasMore: boolean;
  cursor: unknown;
}

/** Where persisted streams live; IndexedDB (idb-keyval) by default, injectable for tests. */
export interface StreamStorage {
  get(key: string): Promise<PersistedStream | undefined>;
  set(key: string, value: PersistedStream): Promise<void>;
}

/** idb-keyval, loaded the first time a `persist` stream needs it: no cost for apps without one. */
const idb = () => import('idb-keyval');

/**
 * IndexedDB through idb-keyval. Where IndexedDB is missing or refuses (Node, private modes),
 * reads find nothing and writes are dropped: persistence is a speed-up, never a failure.
 */
export const indexedDbStorage: StreamStorage = {
  get: (key) =>
    typeof indexedDB === 'undefined'
      ? Promise.resolve(undefined)
      : idb()
          .then(({ get }) => get<PersistedStream>(key))
          .catch(() => undefined),
  set: (key, value) =>
    typeof indexedDB === 'undefined'
      ? Promise.resolve()
      : idb()
          .then(({ set }) => set(key, value))
          .catch(() => undefined),
};

/**
 * Saves a stream's snapshot a moment after it changes (a burst of events is one write), or at once
 * when asked (the store was left). `snapshot` returns undefined while there is nothing to keep.
 */
export class SnapshotSaver {
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly storage: StreamStorage,
    private readonly key: string,
    private readonly snapshot: () => PersistedStream | undefined,
    private readonly delayMs = 250,
  ) {}

  schedule(): void {
    this.#timer ??= setTimeout(() => this.saveNow(), this.delayMs);
  }

  saveNow(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const snapshot = this.snapshot();
    if (snapshot) void this.storage.set(this.key, snapshot);
  }
}
