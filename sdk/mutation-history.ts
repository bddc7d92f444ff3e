import { atom, type WritableAtom } from 'nanostores';

/** One of this user's own mutations, with how to take it back and do it again. */
export interface HistoryEntry {
  undo(): Promise<unknown>;
  redo(): Promise<unknown>;
}

/**
 * Undo and redo stacks of the user's own mutations on one store (never other users' events),
 * bounded. `undo()` runs the entry's inverse through the server; a rejected inverse leaves the
 * stacks as they were before the attempt minus that entry, and rejects.
 * @internal
 */
export class MutationHistory {
  #done: HistoryEntry[] = [];
  #undone: HistoryEntry[] = [];

  constructor(
    private readonly limit = 50,
    /** Given by the store, which has them before this (loaded on demand) exists. */
    readonly canUndo: WritableAtom<boolean> = atom(false),
    readonly canRedo: WritableAtom<boolean> = atom(false),
  ) {}

  /** A new mutation: it can be undone, and whatever was undone can no longer be redone. */
  record(entry: HistoryEntry): void {
    this.#done.push(entry);
    if (this.#done.length > this.limit) this.#done.shift();
    this.#undone = [];
    this.#sync();
  }

  async undo(): Promise<boolean> {
    const entry = this.#done.pop();
    this.#sync();
    if (!entry) return false;
    await entry.undo();
    this.#undone.push(entry);
    this.#sync();
    return true;
  }

  async redo(): Promise<boolean> {
    const entry = this.#undone.pop();
    this.#sync();
    if (!entry) return false;
    await entry.redo();
    this.#done.push(entry);
    this.#sync();
    return true;
  }

  #sync(): void {
    this.canUndo.set(this.#done.length > 0);
    this.canRedo.set(this.#undone.length > 0);
  }
}
