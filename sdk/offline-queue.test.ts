import { afterEach, expect, it } from 'vitest';
import { memoryQueueStorage } from './memory-queue-storage';
import { OfflineQueue, type OfflineQueueState } from './offline-queue';

const queues: OfflineQueue[] = [];
afterEach(() => {
  for (const queue of queues.splice(0)) queue.close();
});

/** Two tabs of one origin: one storage, one BroadcastChannel name. */
function tab(storage: ReturnType<typeof memoryQueueStorage>, online: { now: boolean }, applied: string[]) {
  const queue = new OfflineQueue(
    { queue: true, storage },
    'test-origin',
    async (call) => {
      applied.push(call.path);
      return 'ok';
    },
    () => online.now,
  );
  queues.push(queue);
  return queue;
}

function until(queue: OfflineQueue, check: (state: OfflineQueueState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const stop = queue.state.subscribe((state) => {
      if (!check(state)) return;
      queueMicrotask(() => stop());
      resolve();
    });
  });
}

it('every tab\u2019s view follows the shared queue, whichever tab queued or replayed', async () => {
  const storage = memoryQueueStorage();
  const online = { now: false };
  const applied: string[] = [];
  const replaying = tab(storage, online, applied);
  const watching = tab(storage, { now: false }, applied);
  const results = [watching.enqueue('edit/a', [], 'k1'), watching.enqueue('edit/b', [], 'k2')];
  await until(replaying, (state) => state.length === 2); // told by the other tab, not by polling
  online.now = true;
  await replaying.replay();
  expect(await Promise.all(results)).toEqual(['ok', 'ok']); // settled in the tab that made them
  expect(applied).toEqual(['edit/a', 'edit/b']);
  await until(watching, (state) => state.length === 0);
  expect(watching.busy).toBe(false); // its next call goes straight out, not through the queue
});

it('drop removes one waiting call: its caller gets DROPPED, every tab sees it gone, and a replay skips it', async () => {
  const storage = memoryQueueStorage();
  const online = { now: false };
  const applied: string[] = [];
  const queue = tab(storage, online, applied);
  const other = tab(storage, online, applied);
  const kept = queue.enqueue('edit/kept', [], 'k1');
  const dropped = queue.enqueue('edit/dropped', [], 'k2').catch((error: { code: string }) => error.code);
  await until(other, (state) => state.length === 2);
  await queue.drop(queue.state.get().entries[1]!.id);
  expect(await dropped).toBe('DROPPED');
  await until(other, (state) => state.length === 1);
  online.now = true;
  await queue.replay();
  expect(await kept).toBe('ok');
  expect(applied).toEqual(['edit/kept']);
});
