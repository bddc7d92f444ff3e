// wirestore/testing, dogfooded: the `wire` fixture controls a real page's connection through
// Playwright's WebSocket routing, and `startTestServer` runs the shim. The page is the Svelte
// fixture app (e2e/apps), served by the shim on its own origin.
import { addOnServer, frameworkApi, type FrameworkApi } from './apps/shared/api';
import { expect, startTestServer, test, type TestServer } from '../testing/index';

let shim: TestServer;
let api: FrameworkApi;
const page = '/apps/svelte/index.html';

test.beforeEach(async () => {
  api = frameworkApi();
  shim = await startTestServer({ api, static: { '/apps/': 'e2e/apps/dist' } });
});
test.afterEach(async () => shim.close());

test('a forced gap is healed at once, and the store ends equal to the server', async ({ page: tab, wire }) => {
  await tab.goto(shim.origin + page);
  await wire.waitForSync('todos/list');
  wire.dropNextEvents(1);
  shim.server.publish('todos', 'created', { id: 10, text: 'lost on the way' });
  shim.server.publish('todos', 'created', { id: 11, text: 'reveals the gap' });
  await expect(tab.locator('#todos li')).toHaveText(['first', 'lost on the way', 'reveals the gap']);
  await wire.expectNoUnhealedGaps();
  expect(await wire.reliability()).toMatchObject({ gaps: 1, healed: 1 });
});

test('offline, online, a cut with a chosen code and a server restart: the page catches up each time', async ({ page: tab, wire }) => {
  await tab.goto(shim.origin + page);
  await wire.waitForLive();
  await wire.offline();
  await expect(tab.locator('#state')).not.toHaveText('open');
  addOnServer(api, shim.server, 'while offline');
  wire.online();
  await wire.waitForLive();
  await expect(tab.locator('#todos li')).toHaveText(['first', 'while offline']);
  expect(await wire.reliability()).toMatchObject({ gaps: 0, duplicates: 0 });

  await wire.cut(4401, 'session revoked'); // terminal: the client stops and says why
  await expect(tab.locator('#state')).toHaveText('terminal');

  await tab.reload();
  await wire.waitForSync('todos/list');
  wire.latency(50);
  await shim.restart(); // a new shim, a new epoch: the store reloads in place
  await wire.waitForLive();
  await wire.waitForSync('todos/list');
  await expect(tab.locator('#todos li')).toHaveText(['first', 'while offline']);
  expect((await wire.reliability()).reloaded).toBeGreaterThanOrEqual(1);
});

test('stall holds frames both ways until resume, and latency delays them without reordering', async ({ page: tab, wire }) => {
  await tab.goto(shim.origin + page);
  await wire.waitForSync('todos/list');
  wire.stall();
  addOnServer(api, shim.server, 'held back');
  addOnServer(api, shim.server, 'held back too');
  await tab.waitForTimeout(300); // a negative check: the stalled frames must not arrive meanwhile
  await expect(tab.locator('#todos li')).toHaveText(['first']);
  wire.resume();
  await expect(tab.locator('#todos li')).toHaveText(['first', 'held back', 'held back too']);

  wire.latency(100);
  for (const text of ['one', 'two', 'three']) addOnServer(api, shim.server, text);
  await expect(tab.locator('#todos li')).toHaveText(['first', 'held back', 'held back too', 'one', 'two', 'three']);
  expect(await wire.reliability()).toMatchObject({ gaps: 0, duplicates: 0 });
});
