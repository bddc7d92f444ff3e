import { describe, expect, it } from 'vitest';
import { KeyedCollection } from './keyed-collection';

/** A small deterministic PRNG, so a failure replays. */
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('KeyedCollection', () => {
  // Views after every event (patched copies), now and then, and rarely (long edit runs: the
  // index of many updates, and rebuilds past the move limit).
  it.each([1, 0.3, 0.02])('matches a naive list model through random upserts, prepends, removes and views (view odds %s)', (viewOdds) => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed);
      const collection = new KeyedCollection<{ id: number; v: number }>('id');
      let model: Array<{ id: number; v: number }> = [];
      for (let step = 0; step < 400; step++) {
        const id = Math.floor(next() * (seed % 2 ? 30 : 200));
        const roll = next();
        if (roll < 0.2 + (seed % 3) * 0.3) {
          const item = { id, v: step };
          const index = model.findIndex((x) => x.id === id);
          const prepend = next() < 0.3;
          collection.upsert(item, prepend);
          if (index >= 0) model[index] = item;
          else model = prepend ? [item, ...model] : [...model, item];
        } else if (roll < 0.7) {
          collection.remove(id);
          model = model.filter((x) => x.id !== id);
        }
        if (next() < viewOdds) expect(collection.toArray()).toEqual(model);
      }
      expect(collection.toArray()).toEqual(model);
    }
  });

  it('hands out a new array after a change and the same one when nothing changed', () => {
    const collection = new KeyedCollection<{ id: number; v: number }>('id');
    collection.reset([
      { id: 1, v: 1 },
      { id: 2, v: 2 },
    ]);
    const first = collection.toArray();
    expect(collection.toArray()).toBe(first);
    collection.upsert({ id: 2, v: 3 });
    const second = collection.toArray();
    expect(second).not.toBe(first);
    expect(first).toEqual([
      { id: 1, v: 1 },
      { id: 2, v: 2 },
    ]); // earlier snapshots never change
    expect(second).toEqual([
      { id: 1, v: 1 },
      { id: 2, v: 3 },
    ]);
  });
});
