import { expect, test, type Page } from '@playwright/test';
import { ShimUnderTest } from './support/shim';

// The page loads dist/cdn/wirestore.js through <script type="module"> from a real shim, and
// talks to it through a loopback TCP proxy so a test can restart the shim behind the same port.

const api = {
  echo: (_ctx: unknown, value: unknown) => value,
  shout: (_ctx: unknown, text: string) => text.toUpperCase(),
};

let shimUnderTest: ShimUnderTest;
let pageErrors: string[] = [];

test.beforeEach(async () => {
  pageErrors = [];
  shimUnderTest = await new ShimUnderTest({ api }).start();
});

test.afterEach(async () => {
  await shimUnderTest.stop();
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

async function openPage(page: Page, codec: 'json' | 'msgpack') {
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${shimUnderTest.origin}/client.html?codec=${codec}`);
  await page.waitForFunction(() => 'wirestoreTest' in window);
}

for (const codec of ['json', 'msgpack'] as const) {
  test(`calls an RPC and receives published events with their seq (${codec})`, async ({ page }) => {
    await openPage(page, codec);
    const result = await page.evaluate(() => window.wirestoreTest.client.call('shout', 'hello'));
    expect(result).toBe('HELLO');
    await expect(page.locator('#state')).toHaveText('open');
    const ack = await page.evaluate(() => window.subscribeTo('news'));
    expect(ack).toMatchObject({ topic: 'news', epoch: expect.stringMatching(`^${shimUnderTest.server.epoch}\\.`), seq: 0 });
    shimUnderTest.server.publish('news', 'story', { title: 'one', tags: ['a', 'b'] });
    shimUnderTest.server.publish('news', 'story', { title: 'two' });
    await expect.poll(() => page.evaluate(() => window.wirestoreTest.events.length)).toBe(2);
    expect(await page.evaluate(() => window.wirestoreTest.events)).toEqual([
      { topic: 'news', event: 'story', data: { title: 'one', tags: ['a', 'b'] }, seq: 1 },
      { topic: 'news', event: 'story', data: { title: 'two' }, seq: 2 },
    ]);
  });
}

test('loads the msgpack codec as its own file, only when asked for', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => scripts.push(new URL(request.url()).pathname));
  await openPage(page, 'json');
  await page.evaluate(() => window.wirestoreTest.client.call('echo', 1));
  expect(scripts).toContain('/cdn/wirestore.js');
  expect(scripts).not.toContain('/cdn/wirestore-msgpack.js');
  await openPage(page, 'msgpack');
  await page.evaluate(() => window.wirestoreTest.client.call('echo', 1));
  expect(scripts).toContain('/cdn/wirestore-msgpack.js');
});

test('reconnects by itself after the shim restarts, and resubscribes', async ({ page }) => {
  await openPage(page, 'json');
  await page.evaluate(() => window.subscribeTo('news'));
  const firstEpoch = shimUnderTest.server.epoch;
  await shimUnderTest.server.close();
  await expect.poll(() => page.evaluate(() => window.wirestoreTest.statuses.includes('reconnecting'))).toBe(true);
  await shimUnderTest.restart();
  await expect(page.locator('#state')).toHaveText('open');
  expect(shimUnderTest.server.epoch).not.toBe(firstEpoch);
  expect(await page.evaluate(() => window.wirestoreTest.client.call('shout', 'back'))).toBe('BACK');
  // The page resubscribed on its own: a publish on the new shim reaches it.
  await expect
    .poll(() => shimUnderTest.server.publish('news', 'again', 1) && page.evaluate(() => window.wirestoreTest.events.length))
    .toBeGreaterThan(0);
  expect(await page.evaluate(() => window.wirestoreTest.events[0])).toMatchObject({ event: 'again', seq: 1 });
});

declare global {
  interface Window {
    wirestoreTest: {
      client: { call(path: string, ...args: unknown[]): Promise<unknown> };
      events: Array<{ topic: string; event: string; data: unknown; seq?: number }>;
      statuses: string[];
    };
    subscribeTo(topic: string): Promise<unknown>;
  }
}
