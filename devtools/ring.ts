/** A bounded list: the oldest entry goes when a new one would pass `capacity`. Never formats anything. */
export class Ring<Entry> {
  #entries: Entry[] = [];
  #start = 0;

  constructor(readonly capacity: number) {}

  push(entry: Entry): void {
    if (this.#entries.length < this.capacity) this.#entries.push(entry);
    else {
      this.#entries[this.#start] = entry;
      this.#start = (this.#start + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  toArray(): Entry[] {
    return this.#entries.slice(this.#start).concat(this.#entries.slice(0, this.#start));
  }

  get size(): number {
    return this.#entries.length;
  }

  clear(): void {
    this.#entries = [];
    this.#start = 0;
  }
}
