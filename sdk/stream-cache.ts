import type { MergeConfig } from '../protocol/frames';
import type { StreamStorage } from './stream-persistence';
import { StreamController, type StreamHost, type StreamStore } from './stream-store';

/** Options of `client.streamWith`. */
export interface StreamOptions {
  /** Override the merge config the server sends. */
  merge?: MergeConfig;
  /** Keep the data and position in IndexedDB: a reload shows it at once and resumes from it. */
  persist?: boolean;
  /** How many of this user's mutations `undo()` can take back. Default 50. */
  historyLimit?: number;
}

/** @internal */
export type StreamHostBase = Omit<StreamHost, 'storage' | 'persistKey' | 'historyLimit'>;

/**
 * One store per (path, arguments): asking twice returns the same instance. A store nobody
 * listens to releases its wire subscription after nanostores' unmount delay (1 s, so a quick
 * remount costs nothing), keeps its data and position for `keepMs` (back navigation resumes
 * instead of reloading), and is then forgotten.
 * @internal
 */
export class StreamCache {
  readonly #streams = new Map<string, { controller: StreamController<unknown>; evictTimer?: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly host: StreamHostBase,
    private readonly storage: StreamStorage,
    private readonly namespace: () => string,
    private readonly keepMs: number,
  ) {}

  get<Value>(path: string, args: unknown[], options: StreamOptions): StreamStore<Value> {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('stream: path must be a non-empty string');
    const id = `${path}\u0000${JSON.stringify(args)}\u0000${options.persist ? 'p' : ''}${options.merge ? JSON.stringify(options.merge) : ''}`;
    // Outside a browser (SSR) every call gets a store of its own: a client that all requests share
    // must never render one request's data into another's page.
    const cached = typeof window === 'undefined' ? undefined : this.#streams.get(id);
    if (cached) return cached.controller.store as StreamStore<Value>;
    const entry: { controller: StreamController<unknown>; evictTimer?: ReturnType<typeof setTimeout> } = {} as never;
    entry.controller = new StreamController<unknown>(
      path,
      args,
      {
        ...this.host,
        storage: options.persist ? this.storage : undefined,
        persistKey: `wirestore:${this.namespace()}:${path}:${JSON.stringify(args)}`,
        historyLimit: options.historyLimit ?? 50,
      },
      options.merge,
      (idle) => {
        clearTimeout(entry.evictTimer);
        if (idle) entry.evictTimer = setTimeout(() => this.#streams.delete(id), this.keepMs);
      },
    );
    this.#streams.set(id, entry);
    return entry.controller.store as StreamStore<Value>;
  }

  /** Every live controller, for connection-wide notices. */
  forEach(visit: (controller: StreamController<unknown>) => void): void {
    for (const { controller } of this.#streams.values()) visit(controller);
  }
}
