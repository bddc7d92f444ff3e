import { afterEach, expect, it } from 'vitest';
import type { EventEnvelope } from '../protocol/frames';
import { PublishIds } from './publish-ids';
import { closeAll, connectClient, startServer, waitFor } from './test-support/harness';

afterEach(closeAll);

it('a publish retried with its id is not sent again and resolves with the first seq', async () => {
  const server = await startServer();
  const client = connectClient(server.url);
  const events: EventEnvelope[] = [];
  client.subscribe('orders', (event) => events.push(event));
  await waitFor(() => server.memory.topics === 1);
  const first = await server.publishConfirmed('orders', 'paid', { order: 7 }, { id: 'order-7-paid' });
  expect(await server.publishConfirmed('orders', 'paid', { order: 7 }, { id: 'order-7-paid' })).toBe(first);
  const other = await server.publishConfirmed('orders', 'paid', { order: 8 }, { id: 'order-8-paid' });
  expect(other).toBe(first! + 1);
  await waitFor(() => events.length === 2);
  expect(events.map((event) => (event.data as { order: number }).order)).toEqual([7, 8]);
  // The same id on another topic is another publish.
  expect(await server.publishConfirmed('invoices', 'paid', {}, { id: 'order-7-paid' })).toBe(1);
  expect(() => server.publishConfirmed('orders', 'paid', {}, { id: '' })).toThrow(TypeError);
});

it('remembers ids for a window and at most 1000 per topic, oldest first', () => {
  let now = 0;
  const ids = new PublishIds(60_000, () => now);
  ids.remember('t', 'a', 1);
  now = 60_000;
  expect(ids.seqOf('t', 'a')).toBe(1);
  now = 60_001;
  expect(ids.seqOf('t', 'a')).toBeUndefined();
  for (let i = 0; i < 1001; i++) ids.remember('t', `id${i}`, i);
  expect(ids.seqOf('t', 'id0')).toBeUndefined();
  expect(ids.seqOf('t', 'id1000')).toBe(1000);
  ids.forget('t');
  expect(ids.seqOf('t', 'id1000')).toBeUndefined();
});
