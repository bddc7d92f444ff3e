import { expect, test, type Page } from '@playwright/test';
import type { Context } from '../server-shim/index';
import { crudApp, type Todo } from '../test-support/crud-app';
import { ShimUnderTest } from './support/shim';
import { OtherUsers } from './support/users';

let shim: ShimUnderTest;
const users = new OtherUsers();
const newUser = (browser: Parameters<OtherUsers['open']>[0]) => users.open(browser);
let appliedCount: Map<string, number>;
let app: ReturnType<typeof crudApp>;

test.beforeEach(async () => {
  appliedCount = new Map();
  app = crudApp();
  const api = {
    ...app.api,
    edits: {
      apply: (_ctx: Context, text: string) => {
        appliedCount.set(text, (appliedCount.get(text) ?? 0) + 1);
        return appliedCount.size;
      },
    },
  };
  shim = await new ShimUnderTest({ api }).start();
});

test.afterEach(async () => {
  await users.closeAll();
  await shim.stop();
});

async function openWritesPage(page: Page) {
  await page.goto(shim.pageUrl('/writes.html'));
  await page.waitForFunction(() => 'writesTest' in window);
}

async function goOffline(pages: Page[]) {
  shim.refuse(true);
  shim.cut();
  for (const page of pages) await expect.poll(() => page.evaluate(() => window.writesTest.status())).not.toBe('open');
}

function expectEachAppliedOnce(texts: string[]) {
  expect([...appliedCount.keys()].sort()).toEqual([...texts].sort());
  expect([...appliedCount.values()].every((count) => count === 1)).toBe(true);
}

test('20 edits made offline survive a reload and are applied exactly once on reconnect', async ({ page }) => {
  await openWritesPage(page);
  await expect.poll(() => page.evaluate(() => window.writesTest.status())).toBe('open');
  await goOffline([page]);
  const texts = Array.from({ length: 20 }, (_, i) => `offline edit ${i}`);
  await page.evaluate((all) => all.forEach((text) => window.writesTest.edit(text)), texts);
  await expect.poll(() => page.evaluate(() => window.writesTest.queued())).toBe(20);

  await page.reload(); // the original promises are gone; the queue is in IndexedDB
  await page.waitForFunction(() => 'writesTest' in window);
  await expect.poll(() => page.evaluate(() => window.writesTest.queued())).toBe(20);
  expect(appliedCount.size).toBe(0);

  shim.refuse(false);
  await expect.poll(() => page.evaluate(() => window.writesTest.queued()), { timeout: 10_000 }).toBe(0);
  expectEachAppliedOnce(texts);
  const replayed = await page.evaluate(() => window.writesTest.replayed.map((entry) => entry.args[0]));
  expect(replayed).toEqual(texts); // in order, reported through the hook after the reload
});

test('with two tabs open, queued edits are replayed by one tab, each applied exactly once', async ({ context }) => {
  const tabs = [await context.newPage(), await context.newPage()];
  for (const tab of tabs) await openWritesPage(tab);
  for (const tab of tabs) await expect.poll(() => tab.evaluate(() => window.writesTest.status())).toBe('open');
  await goOffline(tabs);
  const texts: string[] = [];
  for (const [index, tab] of tabs.entries()) {
    const mine = Array.from({ length: 10 }, (_, i) => `tab ${index} edit ${i}`);
    texts.push(...mine);
    await tab.evaluate((all) => all.forEach((text) => window.writesTest.edit(text)), mine);
  }
  await expect.poll(() => tabs[1]!.evaluate(() => window.writesTest.queued())).toBeGreaterThanOrEqual(10);

  shim.refuse(false);
  await expect.poll(() => appliedCount.size, { timeout: 10_000 }).toBe(20);
  // A negative check: both queues are empty and idle, then a second replay has its chance to land.
  for (const tab of tabs) await expect.poll(() => tab.evaluate(() => window.writesTest.queued())).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 300)); // the negative check's chance (above)
  expectEachAppliedOnce(texts);
  // Every tab's own promises settled, whichever tab replayed them.
  for (const tab of tabs) await expect.poll(() => tab.evaluate(() => window.writesTest.settled.length)).toBe(10);
});

test('an optimistic edit the server rejects rolls back while another user’s edits keep arriving', async ({ browser }) => {
  app.truth.push({ id: 100, text: 'locked row', locked: true });
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  await openWritesPage(alice);
  await openWritesPage(bob);
  await expect.poll(() => alice.evaluate(() => window.writesTest.todos()?.length)).toBe(1);
  // Bob's store too: its crud actions arrive with the subscription.
  await expect.poll(() => bob.evaluate(() => window.writesTest.todos()?.length)).toBe(1);
  const outcome = alice.evaluate(() =>
    window.writesTest.update({ id: 100, text: 'alice was here', locked: true }).then(
      () => 'applied',
      (error: { code: string }) => error.code,
    ),
  );
  await bob.evaluate(async () => {
    for (let i = 0; i < 5; i++) await window.writesTest.create({ id: `tmp-${i}`, text: `bob ${i}` });
  });
  expect(await outcome).toBe('LOCKED');
  await expect.poll(() => alice.evaluate(() => window.writesTest.todos())).toEqual(app.truth);
  await expect.poll(() => bob.evaluate(() => window.writesTest.todos())).toEqual(app.truth);
});

test('undo and redo go through the server and show in a second browser', async ({ browser }) => {
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  await openWritesPage(alice);
  await openWritesPage(bob);
  await expect.poll(() => bob.evaluate(() => window.writesTest.todos()?.length)).toBe(0);
  const textsOnBob = () => bob.evaluate(() => (window.writesTest.todos() ?? []).map((todo) => todo.text));

  await alice.evaluate(async () => {
    const row = await window.writesTest.create({ id: 'tmp', text: 'draft' });
    await window.writesTest.update({ ...row, text: 'final' });
  });
  await expect.poll(textsOnBob).toEqual(['final']);
  await alice.evaluate(() => window.writesTest.undo());
  await expect.poll(textsOnBob).toEqual(['draft']);
  await alice.evaluate(() => window.writesTest.undo());
  await expect.poll(textsOnBob).toEqual([]);
  await alice.evaluate(() => window.writesTest.redo());
  await expect.poll(textsOnBob).toEqual(['draft']);
  await alice.evaluate(() => window.writesTest.redo());
  await expect.poll(textsOnBob).toEqual(['final']);
  expect(app.truth.map((todo) => todo.text)).toEqual(['final']);
});

declare global {
  interface Window {
    writesTest: {
      status(): string;
      queued(): number;
      replayed: Array<{ args: unknown[]; result: unknown }>;
      settled: Array<{ text: string; result?: unknown; error?: string }>;
      edit(text: string): void;
      todos(): Todo[] | undefined;
      create(item: Todo): Promise<Todo>;
      update(item: Todo): Promise<unknown>;
      remove(id: unknown): Promise<unknown>;
      undo(): Promise<boolean>;
      redo(): Promise<boolean>;
    };
  }
}
