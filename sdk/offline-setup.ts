import { OfflineQueue, type OfflineOptions, type QueuedCall } from './offline-queue';
import { indexedDbQueueStorage } from './offline-storage';

/**
 * Builds the offline queue. Loaded on demand (its own file in the CDN build) only by clients
 * created with `offline: { queue: true }`, so the core stays small for everyone else.
 * @internal
 */
export function createOfflineQueue(
  options: OfflineOptions,
  name: string,
  send: (call: QueuedCall) => Promise<unknown>,
  isOnline: () => boolean,
): OfflineQueue {
  return new OfflineQueue({ ...options, storage: options.storage ?? indexedDbQueueStorage(name) }, name, send, isOnline);
}
