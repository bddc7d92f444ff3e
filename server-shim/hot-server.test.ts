import { afterEach, expect, it } from 'vitest';
import { hotServer } from './hot-server';
import { closeAll, connectClient, track } from './test-support/harness';

afterEach(closeAll);

it('a re-run (hot reload) keeps the one listener and its connections, and swaps in the edited API', async () => {
  const first = track(await hotServer('test', { api: { version: () => 1 } }));
  const client = connectClient(`ws://127.0.0.1:${first.port}/ws`);
  expect(await client.call('version')).toBe(1);
  const epoch = client.status.get();
  const second = await hotServer('test', { api: { version: () => 2, added: () => 'new' } });
  expect(second).toBe(first); // no second listener
  expect(await client.call('version')).toBe(2);
  expect(await client.call('added')).toBe('new');
  expect(client.status.get()).toEqual(epoch); // the same connection throughout
  expect(first.connectionCount).toBe(1);
});
