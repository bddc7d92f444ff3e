import { atom, type ReadableAtom } from 'nanostores';
import type { WirestoreErrorCode } from '../protocol/error-codes';
import { RpcError } from './rpc-error';
import { safeInvoke } from './safe-invoke';

/** A call waiting in the offline queue. */
export interface QueuedCall {
  /** Sortable: queue order. */
  id: string;
  path: string;
  args: unknown[];
  /** Its idempotency key, fixed when queued, so a replay can never apply twice. */
  key: string;
  queuedAt: number;
}

/** Where the queue lives: IndexedDB by default (see offline-storage.ts); any async key-value store works. */
export interface QueueStorage {
  /** Every entry, in queue order. */
  list(): Promise<QueuedCall[]>;
  put(call: QueuedCall): Promise<void>;
  remove(id: string): Promise<void>;
}

/** `offline` options of `createClient`. */
export interface OfflineOptions {
  /** Queue calls made while disconnected, in IndexedDB, and replay them in order on reconnect. */
  queue: boolean;
  /** Most entries kept; past it the oldest is dropped with `QUEUE_FULL`. Default 100. */
  maxQueue?: number;
  /** Entries older than this (ms) reject with `STALE` instead of replaying. Default: no limit. */
  maxAge?: number;
  /** Return false to drop an entry instead of replaying it. */
  beforeReplay?: (call: QueuedCall) => boolean | Promise<boolean>;
  /** A replayed call failed on the server (it is dropped, not retried). */
  onReplayError?: (call: QueuedCall, error: RpcError) => void;
  /** A replayed call succeeded; after a reload this is the only place its result shows. */
  onReplay?: (call: QueuedCall, result: unknown) => void;
  /** Replaces IndexedDB (tests, other storage). */
  storage?: QueueStorage;
}

/** The queue as a store: `$queue.length` for an "unsynced changes" badge. */
export interface OfflineQueueState {
  length: number;
  entries: readonly QueuedCall[];
  replaying: boolean;
  lastError: { call: QueuedCall; error: RpcError } | undefined;
}

/** Errors that mean "try again later" rather than "the server said no". */
const TRANSIENT = new Set<string>([
  'DISCONNECTED' satisfies WirestoreErrorCode,
  'TIMEOUT' satisfies WirestoreErrorCode,
  'TERMINATED' satisfies WirestoreErrorCode,
  'CLOSED' satisfies WirestoreErrorCode,
]);

type Settlement = { id: string; ok: true; data: unknown } | { id: string; ok: false; code: string; message: string; details?: unknown };
/** What tabs tell each other: a call settled, or the stored queue changed. */
type QueueMessage = Settlement | { changed: true };

let sequence = 0;
function queueId(now: number): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `${now.toString(36).padStart(9, '0')}-${sequence.toString(36).padStart(4, '0')}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The durable offline queue. Calls made while disconnected are written to storage with their
 * idempotency key; on reconnect one tab (Web Locks) replays them in order, each as an ordinary
 * call, so the server's exactly-once window makes a replay after a crash harmless. Results reach
 * the tab that made the call (BroadcastChannel) or, after a reload, the hooks and the store.
 * @internal
 */
export class OfflineQueue {
  readonly state: ReadableAtom<OfflineQueueState>;
  private readonly $state = atom<OfflineQueueState>({ length: 0, entries: [], replaying: false, lastError: undefined });
  private readonly waiting = new Map<string, { resolve(value: unknown): void; reject(error: RpcError): void }>();
  private readonly channel: BroadcastChannel | undefined;
  private replaying = false;

  constructor(
    private readonly options: OfflineOptions & { storage: QueueStorage },
    private readonly name: string,
    private readonly send: (call: QueuedCall) => Promise<unknown>,
    private readonly isOnline: () => boolean,
  ) {
    this.state = this.$state;
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(`wirestore-queue:${name}`);
      this.channel.onmessage = (message: MessageEvent<QueueMessage>) => {
        if ('id' in message.data) this.settleLocally(message.data);
        // Another tab queued or replayed: this tab's view (and `busy`) follows the shared queue.
        // Where Web Locks keep replays to one tab at a time, this tab also replays if it can (it
        // is online, and leads when tabs share a socket): a follower tab queues but never replays.
        void this.refresh().then(() => (globalThis.navigator as Navigator | undefined)?.locks && this.replay());
      };
      // Node (SSR, tests) has BroadcastChannel too, and an open one would keep the process alive.
      (this.channel as BroadcastChannel & { unref?: () => void }).unref?.();
    }
  }

  /** Stops listening to other tabs (the client was closed). */
  close(): void {
    this.channel?.close();
  }

  /** True while entries wait or a replay runs: new calls then queue too, to keep the order. */
  get busy(): boolean {
    return this.replaying || this.$state.get().length > 0;
  }

  async enqueue(path: string, args: unknown[], key: string): Promise<unknown> {
    const call: QueuedCall = { id: queueId(Date.now()), path, args, key, queuedAt: Date.now() };
    const result = new Promise<unknown>((resolve, reject) => this.waiting.set(call.id, { resolve, reject }));
    await this.options.storage.put(call);
    const entries = await this.refresh();
    const overflow = entries.length - (this.options.maxQueue ?? 100);
    for (const dropped of entries.slice(0, Math.max(0, overflow))) {
      await this.options.storage.remove(dropped.id);
      this.settle({
        id: dropped.id,
        ok: false,
        code: 'QUEUE_FULL' satisfies WirestoreErrorCode,
        message: `the offline queue is full; ${dropped.path} was dropped`,
      });
    }
    if (overflow > 0) await this.refresh();
    this.channel?.postMessage({ changed: true } satisfies QueueMessage);
    // The connection may have opened while this entry was being written, after a replay found
    // the queue empty: replay again, or the entry would wait for the next reconnect.
    if (this.isOnline()) void this.replay();
    return result;
  }

  /** Removes one waiting entry (the devtools' "drop"); its caller's promise rejects with `DROPPED`. */
  async drop(id: string): Promise<void> {
    const call = (await this.refresh()).find((entry) => entry.id === id);
    if (!call) return;
    await this.options.storage.remove(id);
    this.fail(call, new RpcError('DROPPED' satisfies WirestoreErrorCode, `${call.path} was dropped from the offline queue`));
    await this.refresh();
    this.channel?.postMessage({ changed: true } satisfies QueueMessage);
  }

  /** Re-reads storage (entries may come from other tabs) into the store. */
  async refresh(): Promise<QueuedCall[]> {
    const entries = await this.options.storage.list();
    this.$state.set({ ...this.$state.get(), length: entries.length, entries });
    return entries;
  }

  /**
   * Replays every entry in order, in the one tab holding the lock; others return at once. Not
   * while offline, nor in a tab that shares another tab's socket (`isOnline` is false there).
   */
  async replay(): Promise<void> {
    if (this.replaying || !this.isOnline()) return;
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks) return this.drain();
    await locks.request(`wirestore-queue:${this.name}`, { ifAvailable: true }, async (lock) => {
      if (lock) await this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.replaying = true;
    this.$state.set({ ...this.$state.get(), replaying: true });
    try {
      for (let entries = await this.refresh(); entries.length > 0; entries = await this.refresh()) {
        for (const call of entries) {
          if (!(await this.replayOne(call))) return; // connection trouble: keep the rest for later
        }
      }
    } finally {
      this.replaying = false;
      this.$state.set({ ...this.$state.get(), replaying: false });
      await this.refresh();
    }
  }

  /** Returns false when replaying must stop (the connection went away). */
  private async replayOne(call: QueuedCall): Promise<boolean> {
    const { maxAge, beforeReplay } = this.options;
    if (maxAge !== undefined && Date.now() - call.queuedAt > maxAge) {
      await this.options.storage.remove(call.id);
      this.fail(
        call,
        new RpcError('STALE' satisfies WirestoreErrorCode, `${call.path} waited longer than ${maxAge} ms in the offline queue`),
      );
      return true;
    }
    if (beforeReplay && !(await beforeReplay(call))) {
      await this.options.storage.remove(call.id);
      this.fail(call, new RpcError('DROPPED' satisfies WirestoreErrorCode, `${call.path} was dropped by beforeReplay`));
      return true;
    }
    try {
      const data = await this.send(call);
      await this.options.storage.remove(call.id);
      safeInvoke(this.options.onReplay, call, data);
      this.settle({ id: call.id, ok: true, data });
      return true;
    } catch (error) {
      const rpcError = error instanceof RpcError ? error : new RpcError('INTERNAL_ERROR' satisfies WirestoreErrorCode, String(error));
      if (TRANSIENT.has(rpcError.code)) return false;
      await this.options.storage.remove(call.id);
      this.fail(call, rpcError);
      return true;
    }
  }

  private fail(call: QueuedCall, error: RpcError): void {
    safeInvoke(this.options.onReplayError, call, error);
    this.$state.set({ ...this.$state.get(), lastError: { call, error } });
    this.settle({ id: call.id, ok: false, code: error.code, message: error.message, details: error.details });
  }

  /** Settles the promise here if this tab made the call, and tells the other tabs. */
  private settle(settlement: Settlement): void {
    this.settleLocally(settlement);
    this.channel?.postMessage(settlement satisfies QueueMessage);
  }

  private settleLocally(settlement: Settlement): void {
    const waiter = this.waiting.get(settlement.id);
    if (!waiter) return;
    this.waiting.delete(settlement.id);
    if (settlement.ok) waiter.resolve(settlement.data);
    else waiter.reject(new RpcError(settlement.code, settlement.message, settlement.details));
  }
}
