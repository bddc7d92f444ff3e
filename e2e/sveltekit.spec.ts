import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

// A SvelteKit app built with adapter-node (e2e/sveltekit, built in the global setup) whose own
// server.js runs the app and the shim in one process on one port: SSR with `loadStream` +
// `hydrate`, /ws on the page's origin, and a graceful exit on SIGTERM.

let app: ChildProcess;
let origin: string;

test.beforeEach(async () => {
  app = spawn(process.execPath, ['server.js'], {
    cwd: 'e2e/sveltekit',
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WIRESTORE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    app.once('exit', (code) => reject(new Error(`the app exited (${code}) before listening`)));
    app.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening on (\d+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
  });
  origin = `http://127.0.0.1:${port}`;
});

test.afterEach(() => {
  if (app.exitCode === null) app.kill('SIGKILL');
});

test('SvelteKit: server-rendered stream data, resumed live on the same origin, and a graceful SIGTERM', async ({ page, request }) => {
  // The HTML already holds the data: no loading state, even before any script runs.
  const html = await (await request.get(origin)).text();
  expect(html).toMatch(/<li>rendered on the server<\/li>/);

  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(origin);
  await expect(page.locator('#state')).toHaveText('open');
  expect(sockets).toEqual([`ws://127.0.0.1:${new URL(origin).port}/ws`]); // the page's own origin
  await expect(page.locator('#stream-status')).toHaveText('live');
  // Resumed from the position the server loaded the data at, not loaded again.
  await expect(page.locator('#last-sync')).toHaveText('recovered');
  await expect(page.locator('#todos li')).toHaveText(['rendered on the server']);

  await page.locator('#add').click();
  await expect(page.locator('#todos li')).toHaveText(['rendered on the server', 'added in the browser']);

  const exited = once(app, 'exit');
  app.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  expect(code).toBe(0); // the process ends: the shim's port no longer keeps it alive
  await expect(page.locator('#state')).not.toHaveText('open');
  expect(pageErrors).toEqual([]);
});
