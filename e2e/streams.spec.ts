import type { Page } from '@playwright/test';
import { stream, type Context } from '../server-shim/index';
// Our own `wirestore/testing` (dogfood): the `wire` fixture and `wireFor` for other pages.
import { expect, test, wireFor } from '../testing/index';
import { ShimUnderTest } from './support/shim';
import { OtherUsers } from './support/users';

interface Todo {
  id: number;
  text: string;
}

let shim: ShimUnderTest;
const users = new OtherUsers();
const newUser = (browser: Parameters<OtherUsers['open']>[0]) => users.open(browser);
let truth: Todo[];

function todoApi() {
  let nextId = 1;
  return {
    todos: {
      list: stream('todos', () => truth.map((todo) => ({ ...todo }))),
      add: (ctx: Context, text: string) => {
        const todo = { id: nextId++, text };
        truth.push(todo);
        ctx.publish('todos', 'created', todo);
        return todo;
      },
    },
  };
}

test.beforeEach(async () => {
  truth = [];
  shim = await new ShimUnderTest({ api: todoApi() }).start();
});

test.afterEach(async () => {
  await users.closeAll();
  await shim.stop();
});

async function openStreamsPage(page: Page, query: Record<string, string> = {}) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(shim.pageUrl('/streams.html', query));
  await page.waitForFunction(() => 'streamsTest' in window);
  return errors;
}

/**
 * How many todos each persisted stream holds in IndexedDB (idb-keyval's default database), read
 * by the page itself; never creates the database if it is not there yet.
 */
const storedTodoCounts = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const open = indexedDB.open('keyval-store');
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => resolve([]);
        open.onsuccess = () => {
          const db = open.result;
          const read = db.transaction('keyval').objectStore('keyval').getAll();
          read.onsuccess = () => {
            db.close();
            resolve((read.result as Array<{ data?: unknown[] }>).map((saved) => saved.data?.length ?? 0));
          };
        };
      }),
  );

const todosOf = (page: Page) => page.evaluate(() => window.streamsTest.todos() ?? null);

test('two browser contexts editing the same crud stream converge', async ({ browser }) => {
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  const errors = [...(await openStreamsPage(alice)), ...(await openStreamsPage(bob))];
  await expect(alice.locator('#stream-status')).toHaveText('live');
  await expect(bob.locator('#stream-status')).toHaveText('live');
  await Promise.all([
    alice.evaluate(async () => {
      for (let i = 0; i < 10; i++) await window.streamsTest.add(`alice ${i}`);
    }),
    bob.evaluate(async () => {
      for (let i = 0; i < 10; i++) await window.streamsTest.add(`bob ${i}`);
    }),
  ]);
  await expect.poll(() => todosOf(alice)).toEqual(truth);
  await expect.poll(() => todosOf(bob)).toEqual(truth);
  expect(truth).toHaveLength(20);
  expect(errors).toEqual([]);
});

test('cutting connections while events are published leaves every page equal to the server, no duplicate, no gap', async ({ browser }) => {
  const pages = await Promise.all([1, 2, 3].map(() => newUser(browser)));
  const wires = await Promise.all(pages.map((page) => wireFor(page)));
  for (const page of pages) await openStreamsPage(page);
  for (const page of pages) await expect(page.locator('#stream-status')).toHaveText('live');
  const api = todoPublisher();
  // Five rounds: events published while every page is connected, a cut of every connection, and
  // more events while they are down. Each cut waits for every page to be back, so every cut hits a
  // live connection with events on both sides of it.
  let published = 0;
  for (let cut = 0; cut < 5; cut++) {
    for (const page of pages) await expect(page.locator('#state')).toHaveText('open');
    for (let i = 0; i < 20; i++) api.add(`event ${published++}`);
    shim.cut();
    for (let i = 0; i < 20; i++) api.add(`event ${published++}`);
  }
  for (const page of pages) {
    await expect.poll(() => todosOf(page), { timeout: 10_000 }).toEqual(truth);
    const ids = ((await todosOf(page)) as Todo[]).map((todo) => todo.id);
    expect(new Set(ids).size).toBe(ids.length);
  }
  for (const wire of wires) await wire.expectNoUnhealedGaps();
});

test('a reload with persist shows the stored data before the socket opens, then resumes', async ({ page, wire }) => {
  await openStreamsPage(page, { persist: '1' });
  await page.evaluate(async () => {
    await window.streamsTest.add('kept across reloads');
    await window.streamsTest.add('me too');
  });
  await expect.poll(() => todosOf(page)).toHaveLength(2);
  await expect.poll(() => storedTodoCounts(page)).toContain(2); // the store saved them (a quarter second after the change)

  await wire.offline(); // the shim is unreachable while the page reloads
  todoPublisher().add('published while the page was away');
  await page.reload();
  await page.waitForFunction(() => 'streamsTest' in window);
  await expect(page.locator('#todos li')).toHaveCount(2);
  const firstRender = await page.evaluate(() => window.streamsTest.renders.find((render) => render.value !== undefined));
  expect(firstRender?.connection).not.toBe('open');
  expect(await page.evaluate(() => window.streamsTest.lastSync())).toBe('restored');

  wire.online();
  await wire.waitForSync('todos/list');
  expect(await todosOf(page)).toEqual(truth);
  expect(await page.evaluate(() => window.streamsTest.lastSync())).toBe('recovered');
  expect(await wire.reliability()).toMatchObject({ recovered: 1, reloaded: 0 });
});

/** Server-side writes that bypass any page: `truth` plus a publish, as another user's edit would. */
function todoPublisher() {
  return {
    add(text: string) {
      const todo = { id: 1000 + truth.length, text };
      truth.push(todo);
      shim.server.publish('todos', 'created', todo);
    },
  };
}

declare global {
  interface Window {
    streamsTest: {
      todos(): Todo[] | undefined;
      lastSync(): string | undefined;
      add(text: string): Promise<Todo>;
      renders: Array<{ value: Todo[] | undefined; connection: string }>;
    };
  }
}
