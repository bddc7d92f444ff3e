import { createStore, del, entries, set } from 'idb-keyval';
import { memoryQueueStorage } from './memory-queue-storage';
import type { QueuedCall, QueueStorage } from './offline-queue';

/**
 * The offline queue in IndexedDB (its own database, one entry per call, keyed so that key order is
 * queue order). Falls back to memory where IndexedDB is missing: the queue then survives a
 * reconnect but not a reload.
 */
export function indexedDbQueueStorage(name: string): QueueStorage {
  if (typeof indexedDB === 'undefined') return memoryQueueStorage();
  const store = createStore(`wirestore-queue-${name}`, 'calls');
  return {
    async list() {
      const all = await entries<string, QueuedCall>(store);
      return all.sort(([a], [b]) => (a < b ? -1 : 1)).map(([, call]) => call);
    },
    put: (call) => set(call.id, call, store),
    remove: (id) => del(id, store),
  };
}
