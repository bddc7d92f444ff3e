import { atom, type ReadableAtom } from 'nanostores';
import type { CallDetour } from './calls';
import type { OfflineOptions, OfflineQueue, OfflineQueueState, QueuedCall } from './offline-queue';

/** What the queue needs from the client around it. */
export interface OfflineLinkHost {
  send(call: QueuedCall): Promise<unknown>;
  isOpen(): boolean;
  connect(): void;
}

/**
 * The client's end of the offline queue: loads the queue's code on demand (only for clients
 * created with `offline: { queue: true }`), mirrors its state into `client.offlineQueue`, and is
 * the detour that calls take while the socket is down.
 * @internal
 */
export class OfflineLink implements CallDetour {
  readonly state: ReadableAtom<OfflineQueueState>;
  readonly ready: Promise<unknown>;
  readonly #$state = atom<OfflineQueueState>({ length: 0, entries: [], replaying: false, lastError: undefined });
  #queue: OfflineQueue | undefined;

  constructor(options: OfflineOptions, namespace: string, host: OfflineLinkHost) {
    this.state = this.#$state;
    this.ready = import('./offline-setup').then(({ createOfflineQueue }) => {
      const queue = (this.#queue = createOfflineQueue(options, namespace, (call) => host.send(call), host.isOpen));
      queue.state.subscribe((state) => this.#$state.set(state));
      // Entries left by an earlier page: connect to replay them. (During SSR there is no
      // IndexedDB, the storage is an empty in-memory one, and nothing connects.)
      void queue.refresh().then((entries) => entries.length > 0 && host.connect());
      if (host.isOpen()) void queue.replay();
    });
  }

  current(): OfflineQueue | undefined {
    return this.#queue;
  }

  /** The socket opened: replay what waited. */
  replay(): void {
    void this.#queue?.replay();
  }

  close(): void {
    this.#queue?.close();
  }
}
