import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeConsumerProject, packPackage, readmeBlocks } from '../scripts/consumer-project.mjs';
import { CHROMIUM_ARGS, chromiumExecutable } from './support/browser';

// The README's "Testing your app" spec, run as an app team would run it: a fresh project with the
// packed package installed, the spec copied from the README word for word, `playwright test`.
// The app it tests is consumers/testing-app (its API and its production page).

const run = promisify(execFile);

test('the README testing example passes in a fresh project against the packed package', async () => {
  test.setTimeout(180_000);
  const work = mkdtempSync(join(tmpdir(), 'wirestore-readme-spec-'));
  try {
    const project = join(work, 'app');
    mkdirSync(join(project, 'tests'), { recursive: true });
    makeConsumerProject(project, packPackage(work), [
      '@playwright/test',
      'playwright',
      'playwright-core',
      'uWebSockets.js',
      'ws',
      'nanostores',
      'msgpackr',
      'idb-keyval',
    ]);
    const spec = readmeBlocks(readFileSync('README.md', 'utf8')).find(({ code }) => code.startsWith('// tests/todos.spec.ts\n'));
    expect(spec, 'the README has a block starting "// tests/todos.spec.ts"').toBeDefined();
    writeFileSync(join(project, 'tests/todos.spec.ts'), spec!.code);
    cpSync('consumers/testing-app/server.ts', join(project, 'tests/server.ts'));
    cpSync('consumers/testing-app/page', join(project, 'build'), { recursive: true }); // the app's built page
    // The app's build step: the package's production CDN files beside its page.
    cpSync(join(project, 'node_modules/wirestore/dist/cdn'), join(project, 'build'), {
      recursive: true,
      filter: (path) => !path.endsWith('/dev'),
    });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'todo-app', private: true, type: 'module' }));
    const launchOptions = { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS };
    writeFileSync(
      join(project, 'playwright.config.ts'),
      `import { defineConfig } from '@playwright/test';\nexport default defineConfig({ testDir: 'tests', workers: 1, use: { launchOptions: ${JSON.stringify(launchOptions)} } });\n`,
    );
    const { stdout } = await run(process.execPath, [join(project, 'node_modules/@playwright/test/cli.js'), 'test', '--reporter=line'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    }).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`the README spec failed in the consumer project:\n${error.stdout}\n${error.stderr}`);
    });
    expect(stdout).toMatch(/1 passed/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
