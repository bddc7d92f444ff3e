/** `value` as a key: strings and numbers are keys, nothing else is. */
export function asKey(value: unknown): string | number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/**
 * An ordered collection keyed by one field, with O(1) insert, update and delete that keep
 * everyone else's position (svelte-realtime reorders on delete; we do not). Items added with
 * `prepend` go before all others, newest first.
 */
export class KeyedCollection<Item = unknown> {
  // Two insertion-ordered maps: `front` holds prepended items (newest last, shown reversed),
  // `back` everything else. A Map keeps a key's slot when its value is replaced.
  #front = new Map<unknown, Item>();
  #back = new Map<unknown, Item>();
  // The last array handed out, and what changed since. Updates that move nothing (the common
  // case: cursors, presence, edits) patch a copy of it instead of walking both maps again.
  #lastArray: Item[] | undefined;
  #positions: Map<unknown, number> | undefined;
  readonly #updated = new Map<unknown, Item>();
  #structureChanged = true;

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
    if (this.#front.has(key)) this.#front.set(key, item);
    else if (this.#back.has(key)) this.#back.set(key, item);
    else {
      (prepend ? this.#front : this.#back).set(key, item);
      this.#structureChanged = true;
      return true;
    }
    if (!this.#structureChanged) this.#updated.set(key, item);
    return true;
  }

  remove(key: unknown): boolean {
    const removed = this.#front.delete(key) || this.#back.delete(key);
    if (removed) this.#structureChanged = true;
    return removed;
  }

  /** Replaces everything with `items`, in the order given. */
  reset(items: readonly Item[]): void {
    this.#front = new Map();
    this.#back = new Map();
    this.#structureChanged = true;
    this.append(items);
  }

  /** Adds `items` after everything else (a next page); known keys are updated in place. */
  append(items: readonly Item[]): void {
    for (const item of items) this.upsert(item, false);
  }

  /** The items in order: a new array when anything changed since the last call, else the same one. */
  toArray(): Item[] {
    if (this.#structureChanged || !this.#lastArray) return this.#rebuild();
    if (this.#updated.size === 0) return this.#lastArray;
    this.#positions ??= new Map(this.#lastArray.map((item, index) => [this.keyOf(item), index]));
    const next = this.#lastArray.slice();
    for (const [key, item] of this.#updated) next[this.#positions.get(key)!] = item;
    this.#updated.clear();
    return (this.#lastArray = next);
  }

  #rebuild(): Item[] {
    const result = new Array<Item>(this.size);
    let i = 0;
    const front = [...this.#front.values()];
    for (let j = front.length - 1; j >= 0; j--) result[i++] = front[j]!;
    for (const item of this.#back.values()) result[i++] = item;
    this.#structureChanged = false;
    this.#positions = undefined;
    this.#updated.clear();
    return (this.#lastArray = result);
  }
}
