import { expect, test, type Page } from '@playwright/test';
import { stream } from '../server-shim/index';
import { ShimUnderTest } from './support/shim';

// The overlay on a page using the development CDN build with `devtools: true`: toggled with
// Ctrl+Shift+L, it shows the live state, and its timeline shows a cut, the reconnect and the
// resume, a forced gap and its backfill, and a restart's reload with its reason.

const todos = [{ id: 1, text: 'first' }];
let added: string[] = [];
const api = {
  todos: {
    list: stream('todos', () => todos, { merge: 'crud', key: 'id' }),
    add: (_ctx: unknown, text: string) => added.push(text),
  },
};

let shim: ShimUnderTest;
let pageErrors: string[] = [];

test.beforeEach(async () => {
  pageErrors = [];
  added = [];
  shim = await new ShimUnderTest({ api, presence: { topics: (topic) => topic.startsWith('room:') } }).start();
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
  await expect(overlay(page).locator('tr', { hasText: 'todos' }).getByText('loaded (snapshot)')).toBeVisible();
  // A swimlane per lane, each entry a marker placed by time.
  await expect(overlay(page).locator('.swimlane', { hasText: 'connection' }).locator('.mark.good')).not.toHaveCount(0);

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

  await overlay(page).getByRole('tab', { name: 'connection' }).click();
  await expect(overlay(page).locator('tr', { hasText: 'last close' })).toContainText('1006 cut (devtools) (RETRY)');
  await overlay(page).getByRole('tab', { name: 'timeline' }).click();

  await shim.restart();
  await expect.poll(async () => (await timeline(page)).map((entry) => entry.what).join('\n')).toMatch(/reloaded: epoch changed .* → /);

  await page.screenshot({ path: testInfo.outputPath('devtools-timeline.png') });
  await overlay(page).getByRole('tab', { name: 'streams' }).click();
  const todosRow = overlay(page).locator('tr', { hasText: 'todos/list' });
  await expect(todosRow).toContainText('crud');
  await expect(todosRow).toContainText(/ \/ \d+/); // its epoch / seq
  await todosRow.getByText('last events').click();
  await expect(todosRow).toContainText('#2 created');
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

test('the queue tab lists offline writes with their age and attempts, drops one and flushes the rest; presence shows who is on a topic; the panel keeps its place under a strict style policy', async ({
  page,
}) => {
  const cspViolations: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => /Content Security Policy/i.test(message.text()) && cspViolations.push(message.text()));
  await page.goto(shim.pageUrl('/devtools.html'));
  await expect(page.locator('#state')).toHaveText('open');
  await page.keyboard.press('Control+Shift+L');

  await overlay(page).getByRole('tab', { name: 'presence' }).click();
  await expect(overlay(page).getByText('presence on room:lobby')).toBeVisible();
  await expect(overlay(page).getByText('live, 1')).toBeVisible();

  await chaos(page, 'offline');
  await expect(page.locator('#state')).not.toHaveText('open');
  const outcomes = page.evaluate(() => {
    const client = (window as unknown as { client: { call(path: string, ...args: unknown[]): Promise<unknown> } }).client;
    const settle = (promise: Promise<unknown>) =>
      promise.then(
        (value) => `ok ${String(value)}`,
        (error: { code: string }) => error.code,
      );
    return Promise.all([settle(client.call('todos/add', 'kept')), settle(client.call('todos/add', 'dropped'))]);
  });
  await overlay(page).getByRole('tab', { name: 'queue' }).click();
  const rows = overlay(page).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('"dropped"');
  await expect(rows.nth(1)).toContainText(/\d+ s/);
  await overlay(page).getByRole('button', { name: 'drop todos/add' }).nth(1).click();
  await expect(rows).toHaveCount(1);

  await chaos(page, 'online');
  await overlay(page).getByRole('button', { name: 'flush now' }).click();
  expect(await outcomes).toEqual(['ok 1', 'DROPPED']);
  await expect(overlay(page).getByText('the queue is empty')).toBeVisible();
  expect(added).toEqual(['kept']);

  // Moved by its header, and still there after closing and reopening.
  const header = overlay(page).locator('header');
  const before = await header.boundingBox();
  await page.mouse.move(before!.x + 40, before!.y + 8);
  await page.mouse.down();
  await page.mouse.move(60, 50, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+L');
  const after = await overlay(page).locator('header').boundingBox();
  expect(Math.round(after!.y)).toBeLessThan(before!.y);
  expect(
    await overlay(page)
      .locator('section')
      .evaluate((panel) => getComputedStyle(panel).position),
  ).toBe('fixed');
  expect(cspViolations).toEqual([]);
});
