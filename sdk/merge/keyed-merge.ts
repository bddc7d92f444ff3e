import { asKey, KeyedCollection } from './keyed-collection';
import { asArray, type Merger } from './merge';

/** The events a keyed strategy understands: which add or update, which remove, which replace all. */
export interface KeyedEvents {
  upsert: readonly string[];
  remove: readonly string[];
}

/**
 * A merger over a {@link KeyedCollection}: `crud`, `presence` and `cursor` are this with different
 * event names and key fields. A `set` event replaces everything with its array.
 */
export function keyedMerger(keyField: string, events: KeyedEvents, prepend = false): Merger<KeyedCollection, unknown[]> {
  const keyReader = new KeyedCollection(keyField);
  return {
    keyField,
    keyOf: (data) => keyReader.keyOf(data) ?? asKey(data),
    has: (collection, key) => collection.has(key),
    get: (collection, key) => collection.get(key),
    init(data) {
      const collection = new KeyedCollection(keyField);
      collection.reset(asArray(data));
      return collection;
    },
    apply(collection, event, data) {
      if (events.upsert.includes(event)) return collection.upsert(data, prepend);
      if (events.remove.includes(event)) {
        // A removal carries the item, or just its key field, or the bare key.
        const key = collection.keyOf(data) ?? asKey(data);
        return key !== undefined && collection.remove(key);
      }
      if (event === 'set') {
        collection.reset(asArray(data));
        return true;
      }
      return false;
    },
    view: (collection) => collection.toArray(),
    appendPage: (collection, data) => collection.append(asArray(data)),
  };
}
