import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { Context } from '../server-shim/index';
import { stream } from '../server-shim/index';
import { ShimUnderTest } from './support/shim';

// `shareAcrossTabs`: the tabs of one browser context share one socket, held by a leader tab; when
// it closes, another takes over and nothing is lost or applied twice.

interface Todo {
  id: number;
  text: string;
}
declare global {
  interface Window {
    tabsTest: {
      todos(): Todo[] | undefined;
      seen: number[];
      add(text: string): Promise<Todo>;
      queued(): number;
      state(): string;
      outcomes: string[];
    };
  }
}

let shim: ShimUnderTest;
let truth: Todo[];
let adds: Map<string, number>;
/** Calls wait here, so they are still running when the leader tab closes. */
let gate: { open(): void; opened: Promise<void> };

test.beforeEach(async () => {
  truth = [];
  adds = new Map();
  let open = () => {};
  gate = { open: () => open(), opened: new Promise<void>((resolve) => (open = resolve)) };
  let nextId = 1;
  const api = {
    todos: {
      list: stream('todos', () => truth.map((todo) => ({ ...todo })), { merge: 'crud', key: 'id' }),
      add: async (ctx: Context, text: string) => {
        adds.set(text, (adds.get(text) ?? 0) + 1);
        await gate.opened;
        const todo = { id: nextId++, text };
        truth.push(todo);
        ctx.publish('todos', 'created', todo);
        return todo;
      },
    },
  };
  shim = await new ShimUnderTest({ api }).start();
});
test.afterEach(async () => shim.stop());

/** Opens a tab, noting whether it opened a real socket (the leader's) and any page error. */
async function openTab(
  context: BrowserContext,
  sockets: Map<Page, number>,
  errors: string[],
  query: Record<string, string> = {},
): Promise<Page> {
  const page = await context.newPage();
  sockets.set(page, 0);
  page.on('websocket', () => sockets.set(page, sockets.get(page)! + 1));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(shim.pageUrl('/tabs.html', query));
  await expect(page.locator('#stream-status')).toHaveText('live');
  return page;
}

const todosOf = (page: Page) => page.evaluate(() => window.tabsTest.todos() ?? null);

test('three tabs hold one server connection; the leader closes mid-traffic and nothing is lost, repeated or applied twice; a fourth tab joins the same socket', async ({
  context,
}) => {
  const sockets = new Map<Page, number>();
  const errors: string[] = [];
  const tabs = [];
  for (let i = 0; i < 3; i++) tabs.push(await openTab(context, sockets, errors));
  expect(shim.server.connectionCount).toBe(1);
  const leader = tabs.find((tab) => sockets.get(tab)! > 0)!;
  expect([...sockets.values()].reduce((a, b) => a + b)).toBe(1); // Playwright sees the leader's socket
  const followers = tabs.filter((tab) => tab !== leader);
  for (const tab of tabs) await expect.poll(() => todosOf(tab)).toEqual([]);

  // Calls in flight from every follower and events published while the leader closes.
  const calls = followers.map((tab, t) =>
    tab.evaluate((prefix) => Promise.all(Array.from({ length: 10 }, (_, i) => window.tabsTest.add(`${prefix}-${i}`))), `tab${t}`),
  );
  let published = 0;
  const publishing = (async () => {
    for (; published < 30; published++) {
      shim.server.publish('todos', 'created', { id: 1000 + published, text: `server ${published}` });
      truth.push({ id: 1000 + published, text: `server ${published}` });
      await new Promise((resolve) => setTimeout(resolve, 5)); // paces the publishes, so the leader closes mid-stream
    }
  })();
  await expect.poll(() => adds.size).toBe(20); // every call is running on the server
  const closedAt = Date.now();
  await leader.close();
  // A follower takes over: one new socket, which Playwright sees.
  await expect.poll(() => followers.reduce((sum, tab) => sum + sockets.get(tab)!, 0), { intervals: [10] }).toBe(1);
  // Reported, not asserted (machines here are noisy): how long the takeover took.
  test.info().annotations.push({ type: 'takeover', description: `new socket ${Date.now() - closedAt} ms after the leader closed` });
  gate.open();
  const results = await Promise.all(calls);
  await publishing;

  // Every call resolved once, in the tab that made it; the server ran each once.
  expect(results.flat().map((todo) => todo.text)).toEqual(
    [...followers.keys()].flatMap((t) => Array.from({ length: 10 }, (_, i) => `tab${t}-${i}`)),
  );
  expect([...adds.values()].every((count) => count === 1)).toBe(true);
  expect(adds.size).toBe(20);
  await expect.poll(() => shim.server.connectionCount).toBe(1);
  const byId = (todos: Todo[] | null) => [...(todos ?? [])].sort((a, b) => a.id - b.id);
  for (const tab of followers) {
    await expect.poll(async () => byId(await todosOf(tab))).toEqual(byId(truth));
    const seen = await tab.evaluate(() => window.tabsTest.seen);
    expect(new Set(seen).size).toBe(seen.length); // no event applied twice
  }

  const opened = shim.server.stats.connectionsOpened;
  const fourth = await openTab(context, sockets, errors);
  await expect.poll(async () => byId(await todosOf(fourth))).toEqual(byId(truth));
  expect(sockets.get(fourth)).toBe(0);
  expect(shim.server.stats.connectionsOpened).toBe(opened);
  expect(shim.server.connectionCount).toBe(1);
  expect(errors).toEqual([]);
});

test('offline writes from every tab wait in the shared queue and are replayed once, through the shared socket, when the server is back', async ({
  context,
}) => {
  gate.open();
  const sockets = new Map<Page, number>();
  const errors: string[] = [];
  const tabs = [await openTab(context, sockets, errors, { queue: '1' }), await openTab(context, sockets, errors, { queue: '1' })];
  shim.refuse(true); // the server is unreachable
  shim.cut();
  for (const tab of tabs) await expect.poll(() => tab.evaluate(() => window.tabsTest.state())).not.toBe('open');
  // Each tab's calls settle in that tab; their outcomes are kept on the page and read when all are in.
  for (const [t, tab] of tabs.entries())
    await tab.evaluate((prefix) => {
      window.tabsTest.outcomes = [];
      for (let i = 0; i < 5; i++)
        window.tabsTest.add(`${prefix}-${i}`).then(
          (todo) => window.tabsTest.outcomes.push(todo.text),
          (error: Error) => window.tabsTest.outcomes.push(`failed: ${error.message}`),
        );
    }, `tab${t}`);
  for (const tab of tabs) await expect.poll(() => tab.evaluate(() => window.tabsTest.queued())).toBe(10); // one queue for the origin
  shim.refuse(false);
  for (const [t, tab] of tabs.entries())
    await expect
      .poll(() => tab.evaluate(() => [...window.tabsTest.outcomes].sort()))
      .toEqual(Array.from({ length: 5 }, (_, i) => `tab${t}-${i}`));
  expect(adds.size).toBe(10);
  expect([...adds.values()].every((count) => count === 1)).toBe(true);
  for (const tab of tabs) await expect.poll(() => tab.evaluate(() => window.tabsTest.queued())).toBe(0);
  expect(shim.server.connectionCount).toBe(1);
  expect(errors).toEqual([]);
});

test('the devtools overlay says which tab holds the shared socket', async ({ context }) => {
  const sockets = new Map<Page, number>();
  const errors: string[] = [];
  const tabs = [await openTab(context, sockets, errors, { dev: '1' }), await openTab(context, sockets, errors, { dev: '1' })];
  const roles = await Promise.all(
    tabs.map((tab) =>
      tab.evaluate(() =>
        (window as unknown as { __wirestore__: { tabs(): { tab: string; leader: boolean; leaderTab: string } } }).__wirestore__.tabs(),
      ),
    ),
  );
  const leaderIndex = roles.findIndex((role) => role.leader);
  expect(sockets.get(tabs[leaderIndex]!)).toBe(1); // the tab that says it leads holds the real socket
  expect(roles[1 - leaderIndex]).toMatchObject({ leader: false, leaderTab: roles[leaderIndex]!.tab });
  for (const [index, tab] of tabs.entries()) {
    await tab.keyboard.press('Control+Shift+L');
    await tab.locator('[data-wirestore-devtools]').getByRole('tab', { name: 'connection' }).click();
    await expect(tab.locator('[data-wirestore-devtools]').locator('tr', { hasText: 'tabs' })).toContainText(
      index === leaderIndex ? 'this tab leads' : `follows tab ${roles[leaderIndex]!.tab.slice(0, 8)}`,
    );
  }
  expect(errors).toEqual([]);
});

test('a browser without Web Locks keeps a socket per tab, and everything works as without the option', async ({ context }) => {
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }));
  const sockets = new Map<Page, number>();
  const errors: string[] = [];
  const tabs = [await openTab(context, sockets, errors), await openTab(context, sockets, errors)];
  expect([...sockets.values()]).toEqual([1, 1]);
  expect(shim.server.connectionCount).toBe(2);
  gate.open();
  await tabs[1]!.evaluate(() => window.tabsTest.add('from the second tab'));
  for (const tab of tabs) await expect.poll(() => todosOf(tab)).toEqual([{ id: 1, text: 'from the second tab' }]);
  expect(errors).toEqual([]);
});

test('a shim restart under three sharing tabs: the one socket comes back and every tab reloads to the server’s truth', async ({
  context,
}) => {
  gate.open();
  const sockets = new Map<Page, number>();
  const errors: string[] = [];
  const tabs = [];
  for (let i = 0; i < 3; i++) tabs.push(await openTab(context, sockets, errors));
  await tabs[2]!.evaluate(() => window.tabsTest.add('before the restart'));
  await shim.restart(); // a new process: new epochs, nothing to resume from
  truth.push({ id: 99, text: 'after the restart' });
  for (const tab of tabs) await expect(tab.locator('#stream-status')).toHaveText('live');
  shim.server.publish('todos', 'created', { id: 99, text: 'after the restart' });
  for (const tab of tabs) await expect.poll(() => todosOf(tab)).toEqual(truth);
  expect(shim.server.connectionCount).toBe(1);
  expect(errors).toEqual([]);
});
