import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';

// `npm start` serves this demo; keep it working: start it as npm start does (after the build),
// use it as a person would, and fail on any error in the page.

let demo: ChildProcess;
let origin: string;

test.beforeAll(async () => {
  demo = spawn(process.execPath, ['demo/serve.mjs'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  origin = await new Promise<string>((resolve, reject) => {
    let output = '';
    demo.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /on http:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    demo.once('exit', (code) => reject(new Error(`the demo server exited with ${code}`)));
  });
});

test.afterAll(() => {
  demo.kill();
});

test('the demo page connects, and its todo stream, rollback, undo and presence work', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/`);
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
