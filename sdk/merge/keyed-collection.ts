/** `value` as a key: strings and numbers are keys, nothing else is. */
export function asKey(value: unknown): string | number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/**
 * An ordered collection keyed by one field, with O(1) insert, update and delete that keep
 * everyone else's position (svelte-realtime reorders on delete; we do not). Items added with
 * `prepend` go before all others, newest first.
 */
/**
 * One change since the last array: `at` is the item whose slot changes (none for an insertion),
 * `item` its new value (none for a removal), `front` where an insertion goes.
 */
type Edit<Item> = [at: Item | undefined, item: Item | undefined, front?: boolean];

/** An array with ES2023's copying methods, which older browsers lack. */
type ArrayCopies<Item> = Item[] & { with?(index: number, item: Item): Item[]; toSpliced?(start: number, count: number): Item[] };

/** Insertions and removals patched into a copy of the last array before a rebuild is cheaper. */
const MAX_MOVES = 8;

export class KeyedCollection<Item = unknown> {
  // Two insertion-ordered maps: `front` holds prepended items (newest last, shown reversed),
  // `back` everything else. A Map keeps a key's slot when its value is replaced.
  #front = new Map<unknown, Item>();
  #back = new Map<unknown, Item>();
  // The last array handed out, and the edits since. A few edits (one event, as a store that
  // notifies per event sees) patch a copy of it: a native copy and splice instead of walking both
  // maps. Undefined edits: too many, or a reset; the next array is rebuilt from the maps.
  #lastArray: Item[] | undefined;
  #edits: Edit<Item>[] | undefined;
  #moves = 0;
  #updatesSinceMove = 0;
  // Key → index in the last array, while no insertion or removal has shifted it.
  #positions: Map<unknown, number> | undefined;

  constructor(readonly keyField: string) {}

  get size(): number {
    return this.#front.size + this.#back.size;
  }

  /**
   * The item's key: its own key field when that is a string or a number. Anything else (missing,
   * null, an object) is no key, and keyed merges ignore the item: every keyed strategy (crud,
   * presence, cursor) treats such an item the same way on add, update and remove.
   */
  keyOf(item: unknown): string | number | undefined {
    if (item === null || typeof item !== 'object' || !Object.prototype.hasOwnProperty.call(item, this.keyField)) return undefined;
    return asKey((item as Record<string, unknown>)[this.keyField]);
  }

  has(key: unknown): boolean {
    return this.#front.has(key) || this.#back.has(key);
  }

  get(key: unknown): Item | undefined {
    return this.#front.get(key) ?? this.#back.get(key);
  }

  /** Replaces the item in its slot, or adds it at the front (prepend) or the back. False if it has no key. */
  upsert(item: Item, prepend = false): boolean {
    const key = this.keyOf(item);
    if (key === undefined) return false;
    const map = this.#front.has(key) ? this.#front : this.#back.has(key) ? this.#back : undefined;
    this.#note(map?.get(key), item, prepend);
    (map ?? (prepend ? this.#front : this.#back)).set(key, item);
    return true;
  }

  remove(key: unknown): boolean {
    const item = this.get(key);
    const removed = this.#front.delete(key) || this.#back.delete(key);
    if (removed) this.#note(item, undefined);
    return removed;
  }

  /** Replaces everything with `items`, in the order given. */
  reset(items: readonly Item[]): void {
    this.#front = new Map();
    this.#back = new Map();
    this.append(items);
    this.#edits = undefined;
  }

  /** Adds `items` after everything else (a next page); known keys are updated in place. */
  append(items: readonly Item[]): void {
    for (const item of items) this.upsert(item, false);
  }

  /** The items in order: a new array when anything changed since the last call, else the same one. */
  toArray(): Item[] {
    const edits = this.#edits;
    if (!edits || !this.#lastArray) return this.#rebuild();
    if (edits.length === 0) return this.#lastArray;
    // Each edit makes the next array in one native copy (ES2023's `with` and `toSpliced` where the
    // browser has them): copying and then writing into the copy, or growing it, costs more.
    let next = this.#lastArray as ArrayCopies<Item>;
    let copied = false;
    // A run of updates with nothing moving: one index of the array beats a scan per update.
    let positions = (this.#positions ??= this.#updatesSinceMove > 16 ? new Map(next.map((item, i) => [this.keyOf(item), i])) : undefined);
    for (const [at, item, front] of edits) {
      if (at === undefined) {
        positions?.set(this.keyOf(item), next.length);
        if (front) positions = undefined;
        next = front ? [item as Item].concat(next) : next.concat([item as Item]);
      } else {
        const index = positions?.get(this.keyOf(at)) ?? next.indexOf(at);
        if (item === undefined) {
          next = next.toSpliced ? next.toSpliced(index, 1) : next.slice(0, index).concat(next.slice(index + 1));
          positions = undefined;
        } else if (copied) next[index] = item;
        else next = next.with ? next.with(index, item) : Object.assign(next.slice(), { [index]: item });
      }
      copied = true;
    }
    this.#positions = positions;
    this.#edits = [];
    this.#moves = 0;
    return (this.#lastArray = next);
  }

  #note(at: Item | undefined, item: Item | undefined, front?: boolean): void {
    const edits = this.#edits;
    if (!edits) return;
    if (at === undefined || item === undefined) {
      this.#moves++;
      this.#updatesSinceMove = 0;
    } else this.#updatesSinceMove++;
    // Past a handful of moves, or more edits than items (nobody is reading), rebuild instead.
    if (this.#moves > MAX_MOVES || edits.length > this.size) this.#edits = undefined;
    else edits.push([at, item, front]);
  }

  #rebuild(): Item[] {
    const result = new Array<Item>(this.size);
    let i = 0;
    const front = [...this.#front.values()];
    for (let j = front.length - 1; j >= 0; j--) result[i++] = front[j]!;
    for (const item of this.#back.values()) result[i++] = item;
    this.#edits = [];
    this.#moves = 0;
    this.#positions = undefined;
    return (this.#lastArray = result);
  }
}
