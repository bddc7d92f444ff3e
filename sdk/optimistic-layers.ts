import type { Merger } from './merge/index';

/** One optimistic change: an event as the server would publish it. */
export interface Change {
  event: string;
  data: unknown;
}

/** @internal */
export interface Layer {
  change: Change;
  /** The key the change is about (keyed merges), so only events on that key settle it. */
  key: unknown;
  /** A server event about this key arrived after the layer was added. */
  touched: boolean;
  /** The call succeeded; the layer now only waits for the server's event. */
  settled: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Optimistic changes kept as layers over the confirmed server state, never mixed into it. The
 * store's value is the confirmed state with the layers re-applied on top, so a server event that
 * lands meanwhile changes the confirmed state and a rollback removes exactly one layer: nobody
 * else's concurrent change is lost (svelte-realtime restores a snapshot and loses them).
 * @internal
 */
export class OptimisticLayers {
  #layers: Layer[] = [];

  constructor(
    private readonly onChange: () => void,
    /** A settled layer whose confirming event never comes is dropped after this long. */
    private readonly settleTimeoutMs = 5000,
  ) {}

  get size(): number {
    return this.#layers.length;
  }

  add(change: Change, merger: Merger): Layer {
    const layer: Layer = { change, key: merger.keyOf?.(change.data), touched: false, settled: false };
    this.#layers.push(layer);
    this.onChange();
    return layer;
  }

  /** Rolls one layer back. */
  remove(layer: Layer): void {
    const index = this.#layers.indexOf(layer);
    if (index === -1) return;
    clearTimeout(layer.timer);
    this.#layers.splice(index, 1);
    this.onChange();
  }

  /**
   * The call behind `layer` succeeded with `result`. A created row with a temporary id takes the
   * server's row (its real id), so the confirming event replaces it instead of adding a second one.
   * The layer goes once the server's event about it has arrived, now or later.
   */
  settle(layer: Layer, result: unknown, merger: Merger, confirmed: unknown): void {
    if (!this.#layers.includes(layer)) return;
    const realKey = merger.keyOf?.(result);
    if (layer.change.event === 'created' && realKey !== undefined && merger.keyField) {
      layer.change = { event: 'created', data: result };
      if (realKey !== layer.key) layer.touched = merger.has?.(confirmed, realKey) === true;
      layer.key = realKey;
    }
    layer.settled = true;
    if (layer.touched) return this.remove(layer);
    layer.timer = setTimeout(() => this.remove(layer), this.settleTimeoutMs);
  }

  /** A server event was applied: it touches the layers about its key (all layers, unkeyed). Returns true if any went. */
  noteServerEvent(event: string, data: unknown, merger: Merger): boolean {
    const key = merger.keyOf?.(data);
    if (event === 'created' && key !== undefined) this.#adoptCreated(key, data, merger);
    let removed = false;
    for (const layer of [...this.#layers]) {
      if (layer.key !== undefined && key !== undefined && layer.key !== key) continue;
      layer.touched = true;
      if (layer.settled) {
        clearTimeout(layer.timer);
        this.#layers.splice(this.#layers.indexOf(layer), 1);
        removed = true;
      }
    }
    return removed;
  }

  /**
   * The server's `created` event usually arrives before the call's reply, under the real id while
   * the layer still has the temporary one. A pending created layer whose fields all match the
   * event's (the server may add fields, such as timestamps) is that row: it takes the real id at
   * once, so the row never shows twice, not even between the event and the reply.
   */
  #adoptCreated(key: unknown, data: unknown, merger: Merger): void {
    if (this.#layers.some((layer) => layer.key === key) || typeof data !== 'object' || data === null) return;
    const keyField = merger.keyField;
    const match = this.#layers.find(
      (layer) =>
        layer.change.event === 'created' &&
        !layer.settled &&
        typeof layer.change.data === 'object' &&
        layer.change.data !== null &&
        Object.entries(layer.change.data).every(
          ([field, value]) => field === keyField || sameJson(value, (data as Record<string, unknown>)[field]),
        ),
    );
    if (!match) return;
    match.key = key;
    match.change = { event: 'created', data };
  }

  /** The value to show: the confirmed state's view, with every layer applied on a copy. */
  compose(merger: Merger, confirmed: unknown): unknown {
    const view = merger.view(confirmed);
    if (this.#layers.length === 0) return view;
    const scratch = merger.init(view);
    for (const { change } of this.#layers) merger.apply(scratch, change.event, change.data);
    return merger.view(scratch);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}
