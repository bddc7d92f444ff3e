// `tabs_shared_delivery`: events per second delivered to 5 tabs of one browser that share one
// socket (`shareAcrossTabs`), against 5 tabs with a socket each, in the same browser and run
// (ratio = shared / separate). `tabs_follower_latency_p50`: how much later than the leader tab a
// follower tab gets an event (the BroadcastChannel hop), median over every probe and follower.
//
// Chromium is started directly, headless, with no test tool attached: Playwright reports every
// WebSocket frame over the DevTools protocol, which would cap both sides at a few thousand
// frames a second. The tabs report to the server through the client itself (calls to `bench/*`).
// A real shim on 127.0.0.1; every wait has a deadline.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../dist/server.js';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/chromium.mjs';

const TABS = 5;
const EVENTS = 20_000;
const BATCH = 250;
const ROUNDS = 5;
const PROBES = 100;

/** Who has reported what; `until` resolves when a check passes (or fails the bench after a minute). */
const reports = { ready: new Set(), done: new Set(), probes: new Map(), waiters: new Set() };
const until = (check, what) =>
  new Promise((resolve, reject) => {
    const waiter = () => check() && (reports.waiters.delete(waiter), clearTimeout(timer), resolve());
    const timer = setTimeout(() => reject(new Error(`bench: no ${what} within 60 s`)), 60_000);
    reports.waiters.add(waiter);
    waiter();
  });
const report = (change) => {
  change();
  for (const waiter of [...reports.waiters]) waiter();
};

const server = createServer({
  static: { '/': 'bench/pages', '/cdn/': 'dist/cdn' },
  logger: { ...console, info() {}, debug() {} },
  api: {
    bench: {
      ready: (_ctx, tab) => report(() => reports.ready.add(tab)),
      done: (_ctx, tab) => report(() => reports.done.add(tab)),
      probes: (_ctx, tab, times) => report(() => reports.probes.set(tab, times)),
    },
  },
});
const port = await server.listen(0, '127.0.0.1');

/** The Chromium binary itself: Playwright's own if installed, else the one on the PATH. */
const chromiumPath = () => chromiumExecutable() ?? chromium.executablePath();

const profile = mkdtempSync(join(tmpdir(), 'wirestore-bench-tabs-'));
const browser = spawn(
  chromiumPath(),
  [
    '--headless=new',
    ...CHROMIUM_ARGS,
    '--disable-popup-blocking',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    `--user-data-dir=${profile}`,
    `http://127.0.0.1:${port}/runner.html?tabs=${TABS}`,
  ],
  { stdio: 'ignore' },
);

const sharedTabs = Array.from({ length: TABS }, (_, i) => i);
const separateTabs = Array.from({ length: TABS }, (_, i) => TABS + i);

/** Events per second delivered to the five tabs together: TABS × EVENTS over the time until the last has them all. */
async function deliveryRate(topic, tabs) {
  reports.done.clear();
  const startedAt = performance.now();
  server.publish(topic, 'round', { events: EVENTS });
  for (let sent = 0; sent < EVENTS; sent += BATCH) {
    for (let i = 0; i < BATCH; i++) server.publish(topic, 'tick', i);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await until(() => tabs.every((tab) => reports.done.has(tab)), `round end on ${topic}`);
  return (TABS * EVENTS) / ((performance.now() - startedAt) / 1000);
}

/** Per probe, the leader (the tab that most often has it first) against every other tab. */
async function followerDelays() {
  for (let probe = 0; probe < PROBES; probe++) {
    server.publish('feed-shared', 'probe', { probe, of: PROBES });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await until(() => sharedTabs.every((tab) => reports.probes.has(tab)), 'probe times');
  const times = sharedTabs.map((tab) => reports.probes.get(tab));
  const firsts = times.map((_, t) => times[t].filter((at, probe) => times.every((other) => other[probe] >= at)).length);
  const leader = firsts.indexOf(Math.max(...firsts));
  return times.flatMap((arrivals, t) => (t === leader ? [] : arrivals.map((at, probe) => at - times[leader][probe]))).sort((a, b) => a - b);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
try {
  await until(() => reports.ready.size === 2 * TABS, 'tabs ready');
  if (server.connectionCount !== TABS + 1) throw new Error(`expected ${TABS + 1} connections, found ${server.connectionCount}`);
  await deliveryRate('feed-separate', separateTabs); // warm-up, untimed
  await deliveryRate('feed-shared', sharedTabs);
  const ratios = [];
  const rates = { shared: [], separate: [] };
  for (let round = 0; round < ROUNDS; round++) {
    rates.separate.push(await deliveryRate('feed-separate', separateTabs));
    rates.shared.push(await deliveryRate('feed-shared', sharedTabs));
    ratios.push(rates.shared.at(-1) / rates.separate.at(-1));
  }
  const delays = await followerDelays();
  console.log(
    JSON.stringify({
      bench: 'tabs_shared_delivery',
      value: Math.round(median(rates.shared)),
      unit: 'events/s',
      baseline: Math.round(median(rates.separate)),
      ratio: Number(median(ratios).toFixed(3)),
      sockets: { shared: 1, separate: TABS },
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'tabs_follower_latency_p50',
      value: Number(delays[Math.floor(delays.length / 2)].toFixed(3)),
      unit: 'ms',
      p90: Number(delays[Math.floor(delays.length * 0.9)].toFixed(3)),
      samples: delays.length,
    }),
  );
} finally {
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  browser.kill();
  await exited;
  await server.close({ drainTimeoutMs: 100 });
  // Chromium's helper processes may still be writing to the profile for a moment after it exits.
  rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}
process.exit(0);
