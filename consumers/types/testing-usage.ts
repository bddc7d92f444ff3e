// An app team's tests as they write them, compiled against the packed package (scripts/check-types.mjs).
import { test as base } from '@playwright/test';
import {
  createTestEnv,
  expect,
  startTestServer,
  test,
  wireFixtures,
  type ReliabilityCounts,
  type TestServer,
  type Wire,
} from 'wirestore/testing';
import { api } from './server-usage.js';

test('uses the wire', async ({ page, wire }) => {
  const shim: TestServer = await startTestServer({ api });
  await page.goto(shim.origin);
  await wire.waitForLive();
  await wire.waitForSync('todos/list');
  wire.dropNextEvents(1);
  wire.latency(20);
  await wire.cut(4403, 'banned');
  const counts: ReliabilityCounts = await wire.reliability();
  expect(counts.gaps).toBe(counts.healed);
  // @ts-expect-error: the close code is a number
  await wire.cut('4401');
  await shim.restart();
  shim.refuse(true);
  shim.cut();
  shim.refuse(false);
  // @ts-expect-error: refuse takes a boolean
  shim.refuse('yes');
  await shim.close();
});

export const custom = base.extend<{ wire: Wire }>(wireFixtures);

export async function unitTest(): Promise<void> {
  const env = await createTestEnv<typeof api>({ api });
  const ada = env.connect({ id: 'u1', name: 'ada' });
  const todo = await ada.client.call('todos/add', 'milk');
  expect(todo.text).toBe('milk');
  // @ts-expect-error: not a path of the API
  await ada.client.call('todos/nope');
  await ada.disconnect();
  await ada.reconnect();
  await env.close();
}
