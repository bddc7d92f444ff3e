import type { QueuedCall, QueueStorage } from './offline-queue';

/** An offline queue kept in memory only (tests; platforms without IndexedDB). */
export function memoryQueueStorage(): QueueStorage {
  const entries = new Map<string, QueuedCall>();
  return {
    list: async () => [...entries.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((call) => structuredClone(call)),
    put: async (call) => void entries.set(call.id, structuredClone(call)),
    remove: async (id) => void entries.delete(id),
  };
}
