import type { FrameRecord } from './recorder';

/**
 * The last `capacity` frames, kept in preallocated columns: recording a frame on a busy socket
 * writes three slots and allocates nothing, so the garbage collector never hears of it. Records
 * are built only when the overlay or an export reads them.
 */
export class FrameLog {
  readonly #at: Float64Array;
  readonly #bytes: Uint32Array;
  readonly #outgoing: Uint8Array;
  readonly #payloads: Array<string | ArrayBuffer | undefined>;
  #next = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    this.#at = new Float64Array(capacity);
    this.#bytes = new Uint32Array(capacity);
    this.#outgoing = new Uint8Array(capacity);
    this.#payloads = new Array<string | ArrayBuffer | undefined>(capacity).fill(undefined);
  }

  push(direction: 'in' | 'out', payload: string | ArrayBuffer, at: number): void {
    const slot = this.#next;
    this.#at[slot] = at;
    this.#bytes[slot] = typeof payload === 'string' ? payload.length : payload.byteLength;
    this.#outgoing[slot] = direction === 'out' ? 1 : 0;
    this.#payloads[slot] = payload;
    this.#next = slot + 1 === this.capacity ? 0 : slot + 1;
    if (this.#size < this.capacity) this.#size++;
  }

  get size(): number {
    return this.#size;
  }

  /** Oldest first. */
  toArray(): FrameRecord[] {
    const records: FrameRecord[] = [];
    const first = this.#size < this.capacity ? 0 : this.#next;
    for (let i = 0; i < this.#size; i++) {
      const slot = (first + i) % this.capacity;
      records.push({
        at: this.#at[slot]!,
        direction: this.#outgoing[slot] ? 'out' : 'in',
        bytes: this.#bytes[slot]!,
        payload: this.#payloads[slot]!,
      });
    }
    return records;
  }

  clear(): void {
    this.#payloads.fill(undefined);
    this.#next = this.#size = 0;
  }
}
