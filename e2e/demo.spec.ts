import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { wireFor } from '../testing/index';

// `npm start` serves this demo; keep it working: start it as npm start does (after the build),
// use it as a person would, and fail on any error in the page.

let demo: ChildProcess;
let origin: string;

/** Starts `demo/serve.mjs` as `npm start` (or, with `--dev`, `npm run dev`) does; resolves with its page origin. */
async function startDemo(args: string[] = []): Promise<{ process: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, ['demo/serve.mjs', ...args], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pageOrigin = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /on http:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    child.once('exit', (code) => reject(new Error(`the demo server exited with ${code}`)));
  });
  return { process: child, origin: pageOrigin };
}

test.beforeAll(async () => {
  ({ process: demo, origin } = await startDemo());
});

test.afterAll(() => {
  demo.kill();
});

test('the plain-HTML CDN page connects, and its todo stream, rollback, undo and presence work', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/cdn-page/`);
  await expect(page.locator('#status')).toHaveText('open');

  for (const text of ['write the docs', 'locked']) {
    await page.fill('#todo-text', text);
    await page.click('#todo-form button');
  }
  await expect(page.locator('#todos li')).toHaveCount(2);
  await page.locator('#todos li', { hasText: 'locked' }).locator('input').click();
  await expect(page.locator('#todo-error')).toContainText('LOCKED');
  await expect(page.locator('#todos li', { hasText: 'locked' }).locator('input')).not.toBeChecked(); // rolled back

  await page.locator('#todos li', { hasText: 'write the docs' }).locator('button').click();
  await expect(page.locator('#todos li')).toHaveCount(1);
  await page.click('#undo');
  await expect(page.locator('#todos li')).toHaveCount(2);

  const me = await page.locator('#me').textContent();
  await expect(page.locator('#members')).toContainText(me!);
  await page.click('#add');
  await expect(page.locator('#rpc-result')).toHaveText('5');
  expect(errors).toEqual([]);
});

test('the plain-HTML CDN page with ?devtools: the development CDN build, and Ctrl+Shift+L opens the overlay', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/cdn-page/?devtools`);
  await expect(page.locator('#status')).toHaveText('open');
  await page.keyboard.press('Control+Shift+L');
  const overlay = page.locator('[data-wirestore-devtools]');
  await expect(overlay.getByRole('tab', { name: 'timeline' })).toBeVisible();
  await overlay.getByRole('tab', { name: 'streams' }).click();
  await expect(overlay.locator('tr', { hasText: 'todos' }).first()).toBeVisible();
  expect(errors).toEqual([]);
});

/** A person: their own browser context (own IndexedDB, own socket) on the Svelte demo. */
async function person(browser: Browser, name: string, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${name}: ${error.message}`));
  return page;
}

test('the Svelte demo, two people: presence, cursors, a shared todo, a rollback, an offline edit applied once, errors, codecs', async ({
  browser,
}) => {
  const errors: string[] = [];
  const ada = await person(browser, 'ada', errors);
  const bob = await person(browser, 'bob', errors);
  const adaWire = await wireFor(ada);
  await ada.goto(`${origin}/?name=ada`);
  await bob.goto(`${origin}/?name=bob`);
  for (const page of [ada, bob]) await expect(page.locator('#status')).toHaveText('open');
  await expect(ada.locator('#members')).toContainText('ada');
  await expect(ada.locator('#members')).toContainText('bob');

  await ada.locator('#pad').hover({ position: { x: 60, y: 40 } });
  await ada.locator('#pad').hover({ position: { x: 90, y: 70 } });
  await expect(bob.locator('#pad .cursor')).not.toHaveCount(0);

  await ada.fill('#todo-text', 'docs by ada');
  await ada.click('#todo-form button');
  await expect(bob.locator('#todos li')).toContainText(['docs by ada']);
  await ada.fill('#todo-text', 'locked by ada');
  await ada.click('#todo-form button');
  const locked = (page: Page) => page.locator('#todos li', { hasText: 'locked by ada' });
  await expect(locked(ada)).not.toHaveClass(/pending/); // confirmed: it has the server's id
  await locked(ada).locator('input').click();
  await expect(ada.locator('#todo-error')).toContainText('LOCKED');
  await expect(locked(ada).locator('input')).not.toBeChecked(); // rolled back
  await expect(locked(bob).locator('input')).not.toBeChecked();

  await adaWire.offline();
  await ada.fill('#todo-text', 'made offline');
  await ada.click('#todo-form button');
  await expect(ada.locator('#queue')).toContainText('1 waiting');
  adaWire.online();
  await adaWire.waitForQueueEmpty();
  await expect(bob.locator('#todos li', { hasText: 'made offline' })).toHaveCount(1); // applied once
  await expect(ada.locator('#todos li', { hasText: 'made offline' })).toHaveCount(1);

  await ada.fill('#chat-text', 'hello bob');
  await ada.click('#chat-form button');
  await expect(bob.locator('#chat')).toContainText('hello bob');

  const calls: Array<[string, string | RegExp]> = [
    ['#add', '5'],
    ['#live-error', /^INVALID_ARGUMENT/],
    ['#not-found', /^NOT_FOUND/],
    ['#timeout', /^TIMEOUT/],
    ['#too-large', /^PAYLOAD_TOO_LARGE/],
  ];
  for (const [button, expected] of calls) {
    await ada.click(button);
    await expect(ada.locator('#rpc-result')).toHaveText(expected);
  }
  await ada.click('#burst');
  await expect(ada.locator('#burst-result')).toHaveText('200 sent');

  await ada.screenshot({ path: test.info().outputPath('demo.png'), fullPage: true });

  await ada.keyboard.press('Control+Shift+L'); // a production build: no overlay to open
  await expect(ada.locator('[data-wirestore-devtools]')).toHaveCount(0);

  await ada.selectOption('#codec', 'msgpack');
  await ada.waitForURL(/codec=msgpack/);
  await expect(ada.locator('#status')).toHaveText('open');
  await expect(ada.locator('#todos li', { hasText: 'docs by ada' })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('npm run dev: the demo from its sources, where Ctrl+Shift+L opens the devtools overlay', async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const dev = await startDemo(['--dev']);
  try {
    const devOrigin = dev.origin;
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${devOrigin}/?name=dev`);
    await expect(page.locator('#status')).toHaveText('open', { timeout: 20_000 });
    await page.keyboard.press('Control+Shift+L');
    const overlay = page.locator('[data-wirestore-devtools]');
    await expect(overlay).toHaveCount(1);
    await overlay.getByRole('tab', { name: 'streams' }).click();
    await expect(overlay.getByText('todos/list')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('demo-devtools.png') });
    expect(errors).toEqual([]);
  } finally {
    dev.process.kill();
  }
});
