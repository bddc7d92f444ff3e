import { expect, test, type Page } from '@playwright/test';
import { stream } from '../server-shim/index';
import { ShimUnderTest } from './support/shim';

// The overlay on a page using the development CDN build with `devtools: true`: toggled with
// Ctrl+Shift+L, it shows the live state, and its timeline shows a cut, the reconnect and the
// resume, a forced gap and its backfill, and a restart's reload with its reason.

const todos = [{ id: 1, text: 'first' }];
const api = { todos: { list: stream('todos', () => todos, { merge: 'crud', key: 'id' }) } };

let shim: ShimUnderTest;
let pageErrors: string[] = [];

test.beforeEach(async () => {
  pageErrors = [];
  shim = await new ShimUnderTest({ api }).start();
});
test.afterEach(async () => {
  await shim.stop();
  expect(pageErrors).toEqual([]);
});

const overlay = (page: Page) => page.locator('[data-wirestore-devtools]');
const timeline = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __wirestore__: { timeline(): Array<{ lane: string; what: string }> } }).__wirestore__.timeline(),
  );
const chaos = (page: Page, action: string, value?: number) =>
  page.evaluate(
    ([name, arg]) => {
      const sockets = (window as unknown as { __wirestore__: { chaos(): Record<string, (value?: number) => void> } }).__wirestore__.chaos();
      sockets[name as string]!(arg as number | undefined);
    },
    [action, value] as const,
  );

test('Ctrl+Shift+L opens the overlay; the timeline shows a cut and its resume, a forced gap and its backfill, a restart and why it reloaded', async ({
  page,
}, testInfo) => {
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(shim.pageUrl('/devtools.html'));
  await expect(page.locator('#todos li')).toHaveText(['first']);

  await page.keyboard.press('Control+Shift+L');
  await expect(overlay(page)).toHaveCount(1);
  await expect(overlay(page).getByRole('tab', { name: 'timeline' })).toBeVisible();
  await expect(overlay(page).getByText('loaded (snapshot)')).toBeVisible();

  await chaos(page, 'dropNextEvents', 1);
  shim.server.publish('todos', 'created', { id: 2, text: 'dropped on the way' });
  shim.server.publish('todos', 'created', { id: 3, text: 'reveals the gap' });
  await expect(page.locator('#todos li')).toHaveText(['first', 'dropped on the way', 'reveals the gap']);
  await expect
    .poll(async () => (await timeline(page)).map((entry) => entry.what))
    .toEqual(
      expect.arrayContaining([
        'seq 1 dropped by the chaos controls',
        'gap: seq 2 came after missing ones; backfill requested',
        expect.stringMatching(/^backfilled: resumed/),
      ]),
    );

  await chaos(page, 'cut', 1006);
  await expect(page.locator('#state')).toHaveText('open');
  await expect
    .poll(async () => (await timeline(page)).map((entry) => entry.what).join('\n'))
    .toMatch(/dropped: 1006 cut \(devtools\) \(RETRY\); retry #1 in \d+ ms[\s\S]*resumed at seq 2/);

  await shim.restart();
  await expect.poll(async () => (await timeline(page)).map((entry) => entry.what).join('\n')).toMatch(/reloaded: epoch changed .* → /);

  await overlay(page).getByRole('tab', { name: 'streams' }).click();
  await expect(overlay(page).getByText('todos/list')).toBeVisible();
  await overlay(page).getByRole('tab', { name: 'traffic' }).click();
  await expect(overlay(page).locator('td .in').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('devtools.png') });

  const bundle = await page.evaluate(() =>
    (window as unknown as { __wirestore__: { export(): { timeline: unknown[]; frames: unknown[] } } }).__wirestore__.export(),
  );
  expect(bundle.timeline.length).toBeGreaterThan(5);
  expect(bundle.frames.length).toBeGreaterThan(5);

  await page.keyboard.press('Escape');
  await expect(overlay(page)).toHaveCount(0);
});
