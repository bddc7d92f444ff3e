import { atom, onMount, type ReadableAtom, type WritableAtom } from 'nanostores';
import { whenStore } from './when-store';
import type { WirestoreErrorCode } from '../protocol/error-codes';
import type { CrudActions, DeniedFrame, EventEnvelope, MergeConfig, Position, StreamPage, SubscribedFrame } from '../protocol/frames';
import { DEFAULT_MERGE, mergerFor, type Merger } from './merge/index';
import { judgeEvent, positionAfterAck } from './position';
import { RpcError } from './rpc-error';
import type { ReliabilityCounts } from './reliability';
import { SnapshotSaver, type PersistedStream, type StreamStorage } from './stream-persistence';
import type { SubscriptionRequest, WireHost, WireSubscriber } from './subscriptions';
import { WriteSide } from './write-side';
import { isHydrationData, type HydrationData, type StreamStatus, type StreamStore, type SyncOutcome } from './stream-types';

export type { HydrationData, StreamStatus, StreamStore, SyncOutcome } from './stream-types';

/** @internal What the stream needs from its client. */
export interface StreamHost extends WireHost {
  loadMore(path: string, args: unknown[], cursor: unknown): Promise<StreamPage>;
  call(path: string, args: unknown[]): Promise<unknown>;
  storage: StreamStorage | undefined;
  persistKey: string;
  counts: ReliabilityCounts;
  historyLimit: number;
}

/**
 * Drives one stream store: applies the server's snapshot and events through the merger, tracks
 * `(epoch, seq)` to drop duplicates and spot gaps, asks for a backfill at once on a gap, and
 * keeps the data on screen through resyncs.
 * @internal
 */
export class StreamController<Value> implements WireSubscriber {
  readonly store: StreamStore<Value>;
  readonly #$value: WritableAtom<Value | undefined> = atom(undefined);
  readonly #$status = atom<StreamStatus>('loading');
  readonly #$error = atom<RpcError | undefined>(undefined);
  readonly #$lastSync = atom<SyncOutcome | undefined>(undefined);
  readonly #$hasMore = atom(false);
  #merge: MergeConfig;
  #merger: Merger;
  #actions: CrudActions | undefined;
  readonly #writeSide: WriteSide;
  #state: unknown;
  #hasState = false;
  #position: Position | undefined;
  #cursor: unknown;
  #ref: number | undefined;
  #awaitingBackfill = false;
  #queued: EventEnvelope[] = [];
  #flushScheduled = false;
  #pendingMore: Promise<boolean> | undefined;
  /** Persisted streams only (`persist`): their snapshot, saved a moment after each change. */
  readonly #saver: SnapshotSaver | undefined;
  #restored: Promise<void> | undefined;
  #mounted = false;

  constructor(
    readonly path: string,
    readonly args: unknown[],
    private readonly host: StreamHost,
    private readonly mergeOverride: MergeConfig | undefined,
    onIdleChange: (idle: boolean) => void,
  ) {
    this.#merge = mergeOverride ?? DEFAULT_MERGE;
    this.#merger = mergerFor(this.#merge);
    const store = this.#$value as unknown as StreamStore<Value>;
    Object.assign(store, {
      status: this.#$status,
      error: this.#$error,
      lastSync: this.#$lastSync,
      hasMore: this.#$hasMore,
      loadMore: () => this.loadMore(),
      hydrate: (data: Value | HydrationData) => this.hydrate(data),
      when: (condition: boolean | ReadableAtom<unknown> | (() => boolean)) => whenStore(store, condition),
    });
    // The mutations read the live merger and state through getters, which cannot be arrows.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const controller = this;
    this.#writeSide = new WriteSide(
      {
        get merger() {
          return controller.#merger;
        },
        get confirmed() {
          return controller.#state;
        },
        get actions() {
          return controller.#actions;
        },
        call: (path, args) => host.call(path, args),
      },
      () => this.#publish(),
      host.historyLimit,
    );
    Object.assign(store, this.#writeSide.methods());
    this.store = store;
    this.#saver = host.storage && new SnapshotSaver(host.storage, host.persistKey, () => this.#snapshot());
    // The wire subscription follows nanostores' mount state (mounted from the first listener until
    // a while after the last one left), never the listener count at some later microtask: a
    // listener that leaves and comes back in the next task (React's useStore, strict-mode effects)
    // stays mounted throughout, and the store must load.
    onMount(this.#$value, () => {
      this.#mounted = true;
      this.#writeSide.load().catch(() => {}); // a failed load is reported to the write that needs it
      onIdleChange(false);
      void this.#start();
      return () => {
        this.#mounted = false;
        this.#stop();
        onIdleChange(true);
      };
    });
  }

  // ---- WireSubscriber ----

  request(): SubscriptionRequest {
    return { topic: this.path, stream: true, args: this.args, resume: this.#position && { ...this.#position } };
  }

  onSubscribed(ack: SubscribedFrame): void {
    const { position, reset } = positionAfterAck(this.#position, ack);
    if (!this.mergeOverride && ack.merge && JSON.stringify(ack.merge) !== JSON.stringify(this.#merge)) {
      // Any difference (strategy, key, prepend, max) needs a merger built for it, and the data
      // folded by the old one cannot be kept.
      this.#merge = ack.merge;
      this.#merger = mergerFor(ack.merge);
      this.#hasState = false;
    }
    if (ack.actions) this.#actions = ack.actions;
    const hadData = this.#hasState;
    if (ack.snapshot || !this.#hasState || reset) {
      this.#queued = []; // accepted against the old data: the reply replaces it
      this.#state = this.#merger.init(ack.snapshot ? ack.data : undefined);
      this.#hasState = true;
      if (ack.snapshot) {
        this.#$hasMore.set(ack.hasMore === true);
        this.#cursor = ack.cursor;
      }
    } else this.#applyQueued(); // accepted before this reply: they come first
    this.#position = position;
    const counts = this.host.counts;
    if (this.#awaitingBackfill) counts.healed++;
    this.#awaitingBackfill = false;
    for (const event of ack.replay ?? []) {
      const judged = judgeEvent(this.#position, event.seq);
      if (judged.verdict !== 'apply') continue; // replayed, but applied already (or out of reach: the next gap asks again)
      this.#position = judged.position;
      this.#apply(event);
    }
    this.#$error.set(undefined);
    this.#$status.set('live');
    const outcome = ack.resumed && !reset ? 'recovered' : hadData ? 'reloaded' : 'loaded';
    if (outcome !== 'loaded') counts[outcome]++;
    this.#$lastSync.set(outcome);
    this.#publish();
  }

  onEvent(event: EventEnvelope): void {
    if (!this.#hasState || (this.#awaitingBackfill && event.seq !== undefined)) return;
    const { verdict, position } = judgeEvent(this.#position, event.seq);
    if (verdict !== 'apply') {
      this.host.counts[verdict === 'gap' ? 'gaps' : 'duplicates']++;
      return verdict === 'gap' ? this.#requestBackfill() : undefined;
    }
    this.#position = position; // at once: the next event of this task is judged against this one
    this.#queued.push(event);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // Events that arrive in the same task are applied in one pass, with one notification.
    queueMicrotask(() => this.#flush());
  }

  onDenied(denial: DeniedFrame): void {
    this.#ref = undefined;
    this.#$error.set(RpcError.from(denial.error));
    this.#$status.set('error');
  }

  /** The connection dropped: the data stays, marked as catching up. */
  onDisconnected(): void {
    if (this.#ref !== undefined && this.#hasState) this.#$status.set('resyncing');
  }

  // ---- store API ----

  hydrate(input: Value | HydrationData, outcome: SyncOutcome = 'hydrated'): void {
    if (this.#hasState) return;
    if (isHydrationData(input)) {
      if (!this.mergeOverride) {
        this.#merge = input.merge;
        this.#merger = mergerFor(input.merge);
      }
      this.#state = this.#merger.init(input.data);
      this.#position = { epoch: input.epoch, seq: input.seq };
      this.#$hasMore.set(input.hasMore);
      this.#cursor = input.cursor;
    } else {
      this.#state = this.#merger.init(input);
    }
    this.#hasState = true;
    this.#$lastSync.set(outcome);
    if (this.#$status.get() === 'loading') this.#$status.set('resyncing');
    this.#publish();
  }

  loadMore(): Promise<boolean> {
    if (!this.#$hasMore.get()) return Promise.resolve(false);
    this.#pendingMore ??= this.host
      .loadMore(this.path, this.args, this.#cursor)
      .then((page) => {
        if (!this.#merger.appendPage)
          throw new RpcError('INVALID_REQUEST' satisfies WirestoreErrorCode, `a ${this.#merge.strategy} stream has no pages`);
        this.#merger.appendPage(this.#state, page.data);
        this.#cursor = page.cursor;
        this.#$hasMore.set(page.hasMore);
        this.#publish();
        return true;
      })
      .finally(() => (this.#pendingMore = undefined));
    return this.#pendingMore;
  }

  // ---- internals ----

  async #start(): Promise<void> {
    if (this.host.storage && !this.#restored) this.#restored = this.#restore(this.host.storage);
    await this.#restored;
    if (this.#ref !== undefined || !this.#mounted) return;
    try {
      this.#ref = this.host.subscribe(this);
    } catch (error) {
      // Misuse (no WebSocket, no URL): the store says what to fix instead of loading forever.
      this.onDenied({ error: { code: 'INVALID_REQUEST' satisfies WirestoreErrorCode, message: (error as Error).message } } as DeniedFrame);
    }
  }

  #stop(): void {
    if (this.#ref !== undefined) this.host.unsubscribe(this.#ref);
    this.#ref = undefined;
    this.#saver?.saveNow();
  }

  async #restore(storage: StreamStorage): Promise<void> {
    const saved = await storage.get(this.host.persistKey);
    if (!saved || this.#hasState) return;
    this.hydrate(
      { ...saved, epoch: saved.position?.epoch ?? '', seq: saved.position?.seq ?? 0, hasMore: saved.hasMore } as HydrationData,
      'restored',
    );
    if (!saved.position) this.#position = undefined;
  }

  #requestBackfill(): void {
    this.#awaitingBackfill = true;
    this.#$status.set('resyncing');
    if (this.#ref !== undefined) this.host.resubscribe(this.#ref);
  }

  #apply(event: EventEnvelope): void {
    this.#merger.apply(this.#state, event.event, event.data);
    this.#writeSide.layers?.noteServerEvent(event.event, event.data, this.#merger);
  }

  #applyQueued(): boolean {
    const events = this.#queued;
    this.#queued = [];
    for (const event of events) this.#apply(event);
    return events.length > 0;
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#applyQueued()) this.#publish();
  }

  #publish(): void {
    if (!this.#hasState) return;
    const layers = this.#writeSide.layers;
    this.#$value.set((layers ? layers.compose(this.#merger, this.#state) : this.#merger.view(this.#state)) as Value);
    this.#saver?.schedule();
  }

  /** What a persisted stream keeps: the confirmed state (optimistic layers are not the server's truth). */
  #snapshot(): PersistedStream | undefined {
    if (!this.#hasState) return undefined;
    return {
      data: this.#merger.view(this.#state),
      position: this.#position,
      merge: this.#merge,
      hasMore: this.#$hasMore.get(),
      cursor: this.#cursor,
    };
  }
}
