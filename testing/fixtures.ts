import {
  test as base,
  expect,
  type Page,
  type PlaywrightTestArgs,
  type PlaywrightTestOptions,
  type PlaywrightWorkerArgs,
  type PlaywrightWorkerOptions,
  type TestType,
} from '@playwright/test';
import type { ReliabilityCounts } from '../sdk/reliability';
import { WireController } from './wire-controller';

/** What a test can do to a page's connection, and the waits that read the page's clients. */
export interface Wire {
  /** Cuts every socket (close 1001) and refuses new ones until `online()`. */
  offline(): Promise<void>;
  online(): void;
  /** Cuts every open socket with `code` (1001 by default; 4401 or 4403 are terminal for the client). */
  cut(code?: number, reason?: string): Promise<void>;
  /** Delays every frame, both ways, by `ms` (0 to stop). */
  latency(ms: number): void;
  /** Holds every frame, both ways, until `resume()`. */
  stall(): void;
  resume(): void;
  /** Drops the next `count` topic events on their way to the page: a forced gap. */
  dropNextEvents(count: number): void;
  /** Until every client of the page is connected (its status is `open`). */
  waitForLive(): Promise<void>;
  /** Until a stream store of `path` is `live` (after a load, a resume or a reload). */
  waitForSync(path: string): Promise<void>;
  /** Until every client's offline queue is empty. */
  waitForQueueEmpty(): Promise<void>;
  /** The page's reliability counters, summed over its clients. */
  reliability(): Promise<ReliabilityCounts>;
  /** Fails unless every gap the page's stores saw has been healed. */
  expectNoUnhealedGaps(): Promise<void>;
}

/** The page's side of what `createClient` registers when a harness prepared the list. */
interface RegisteredClient {
  client: { status: { get(): { state: string } }; offlineQueue: { get(): { length: number } } };
  counts: ReliabilityCounts;
  streams: { forEach(visit: (controller: { path: string; store: { status: { get(): string } } }) => void): void };
}
type TestWindow = Window & { __wirestoreClients?: RegisteredClient[] };

/** Matches the sockets wirestore opens (`/ws`, with or without a query). */
const SOCKET_URL = /\/ws(\?.*)?$/;

export async function wireFor(page: Page, socketUrl: string | RegExp = SOCKET_URL): Promise<Wire> {
  const controller = new WireController();
  await page.routeWebSocket(socketUrl, (route) => controller.attach(route));
  await page.addInitScript(() => {
    (window as TestWindow).__wirestoreClients = [];
  });
  const clients = (check: string, arg?: string) =>
    page.waitForFunction(
      ([kind, path]) => {
        const list = (window as TestWindow).__wirestoreClients ?? [];
        if (kind === 'live') return list.length > 0 && list.every(({ client }) => client.status.get().state === 'open');
        if (kind === 'queue') return list.every(({ client }) => client.offlineQueue.get().length === 0);
        let synced = false;
        for (const { streams } of list)
          streams.forEach(({ path: streamPath, store }) => (synced ||= streamPath === path && store.status.get() === 'live'));
        return synced;
      },
      [check, arg] as const,
    );
  const reliability = () =>
    page.evaluate(() => {
      const total = { gaps: 0, healed: 0, duplicates: 0, recovered: 0, reloaded: 0 };
      for (const { counts } of (window as TestWindow).__wirestoreClients ?? [])
        for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += counts[key];
      return total;
    });
  return {
    offline: () => controller.offline(),
    online: () => controller.online(),
    cut: (code, reason) => controller.cut(code, reason),
    latency: (ms) => controller.latency(ms),
    stall: () => controller.stall(),
    resume: () => controller.resume(),
    dropNextEvents: (count) => controller.dropNextEvents(count),
    waitForLive: async () => void (await clients('live')),
    waitForSync: async (path) => void (await clients('sync', path)),
    waitForQueueEmpty: async () => void (await clients('queue')),
    reliability,
    async expectNoUnhealedGaps() {
      await expect
        .poll(async () => {
          const counts = await reliability();
          return counts.gaps - counts.healed;
        }, 'gaps the stores saw but have not healed')
        .toBeLessThanOrEqual(0);
    },
  };
}

/**
 * Playwright's `test` with a `wire` fixture per page: `import { test, expect } from 'wirestore/testing'`,
 * or `base.extend(wireFixtures)` onto a test of your own.
 */
export const wireFixtures = {
  wire: async ({ page }: { page: Page }, use: (wire: Wire) => Promise<void>) => {
    await use(await wireFor(page));
  },
};

export const test: TestType<PlaywrightTestArgs & PlaywrightTestOptions & { wire: Wire }, PlaywrightWorkerArgs & PlaywrightWorkerOptions> =
  base.extend<{ wire: Wire }>(wireFixtures);
export { expect };
