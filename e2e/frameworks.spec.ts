import { expect, test, type Page } from '@playwright/test';
import { readdir, readFile } from 'node:fs/promises';
import { frameworkApi } from './apps/shared/api';
import { ShimUnderTest } from './support/shim';

// React (@nanostores/react, StrictMode), Vue (@nanostores/vue) and Svelte 5 ($store) apps built
// with Vite against the package (e2e/apps, built in the global setup), each in real Chromium: a
// call, a live stream, and a reconnect after the shim restarts.

let shimUnderTest: ShimUnderTest;
let pageErrors: string[] = [];

test.beforeEach(async () => {
  pageErrors = [];
  shimUnderTest = await new ShimUnderTest({
    api: frameworkApi(),
    static: { '/apps/': 'e2e/apps/dist', '/apps-dev/': 'e2e/apps/dist-dev' },
  }).start();
});

test.afterEach(async () => {
  await shimUnderTest.stop();
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

async function open(page: Page, framework: string) {
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(shimUnderTest.pageUrl(`/apps/${framework}/index.html`));
}

const items = (page: Page) => page.locator('#todos li');

for (const framework of ['react', 'vue', 'svelte']) {
  test(`${framework}: a call, a live stream store, and a reconnect`, async ({ page }) => {
    await open(page, framework);
    await expect(page.locator('#state')).toHaveText('open');
    await expect(page.locator('#greeting')).toHaveText(`hello, ${framework}`);
    await expect(page.locator('#stream-status')).toHaveText('live');
    await expect(items(page)).toHaveText(['first']);

    await page.locator('#add').click(); // a call whose event comes back through the stream
    await expect(items(page)).toHaveText(['first', `from ${framework}`]);
    shimUnderTest.server.publish('todos', 'created', { id: 99, text: 'from the server' });
    await expect(items(page)).toHaveText(['first', `from ${framework}`, 'from the server']);

    // The shim restarts (a new epoch, the data as its loader returns it): the app reconnects,
    // the store reloads in place, and live events flow again.
    await shimUnderTest.restart();
    await expect(page.locator('#state')).toHaveText('open');
    await expect(page.locator('#stream-status')).toHaveText('live');
    await expect(items(page)).toHaveText(['first', `from ${framework}`]);
    shimUnderTest.server.publish('todos', 'created', { id: 100, text: 'after the restart' });
    await expect(items(page)).toHaveText(['first', `from ${framework}`, 'after the restart']);
  });
}

test('react, built by Vite in development mode: Ctrl+Shift+L opens the devtools overlay; the production build has none', async ({
  page,
}) => {
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(shimUnderTest.pageUrl('/apps-dev/react/index.html'));
  await expect(page.locator('#stream-status')).toHaveText('live');
  await page.keyboard.press('Control+Shift+L');
  const overlay = page.locator('[data-wirestore-devtools]');
  await expect(overlay).toHaveCount(1);
  await expect(overlay.getByText('loaded (snapshot)')).toBeVisible();

  await page.goto(shimUnderTest.pageUrl('/apps/react/index.html'));
  await expect(page.locator('#stream-status')).toHaveText('live');
  await page.keyboard.press('Control+Shift+L');
  await expect(page.locator('[data-wirestore-devtools]')).toHaveCount(0);
});

test('a Vite production build of an app with `devtools: true` is byte for byte the build without it, but for the option', async () => {
  // Built by the global setup: e2e/apps/dist-devtools/{on,off}.
  const scripts = async (variant: string) => {
    const folder = `e2e/apps/dist-devtools/${variant}/assets`;
    const names = (await readdir(folder)).filter((name) => name.endsWith('.js')).sort();
    const code = await Promise.all(names.map((name) => readFile(`${folder}/${name}`, 'utf8')));
    // File names carry content hashes, which the option changes; the code is compared without them.
    return { files: names.length, code: code.join('\n').replace(/-[\w-]{8}\.js/g, '.js') };
  };
  const on = await scripts('on');
  const off = await scripts('off');
  expect(on.files).toBe(off.files);
  expect(on.code).toContain('devtools:!0');
  expect(on.code.replaceAll('devtools:!0', 'devtools:!1')).toBe(off.code);
  expect(on.code).not.toMatch(/__wirestore__|data-wirestore-devtools|Ctrl\+Shift\+L/);
});
