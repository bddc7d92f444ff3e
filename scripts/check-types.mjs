// Compiles consumers/types/*.ts as a user's project would, against the packed package: `npm pack`,
// the tarball unpacked into a fresh project's node_modules/wirestore, strict, `skipLibCheck: false`,
// once with `moduleResolution: bundler` and once with `node16` (package type module). The
// package's dependencies and TypeScript come from this repository's node_modules (the same
// versions a user's install resolves), linked rather than downloaded again.
// The README's ```ts blocks are compiled too, each as a module of its own (named by a first line
// such as `// server.ts`, so the client block's `import type { api } from './server'` resolves);
// consumers/types/readme-ambient.d.ts declares what they leave out (a `db`, a `client`).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeConsumerProject, packPackage, readmeBlocks } from './consumer-project.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'consumers/types');
const linked = [
  'nanostores',
  'msgpackr',
  'idb-keyval',
  'uWebSockets.js',
  '@types/node',
  'typescript',
  '@playwright/test',
  'playwright',
  'playwright-core',
  'ws',
  '@types/ws',
];
// What the README's framework blocks import, as an app using them would have installed.
const linkedForReadme = [
  'react',
  '@types/react',
  '@nanostores/react',
  'vue',
  '@nanostores/vue',
  '@vue/runtime-core',
  '@vue/runtime-dom',
  '@vue/reactivity',
  '@vue/shared',
  'csstype',
];
const work = mkdtempSync(join(tmpdir(), 'wirestore-types-'));

try {
  const tarball = packPackage(work);
  let failed = false;
  // `readme` compiles the README's blocks; it skips lib checks only because @nanostores/vue's own
  // declarations fail them (wirestore's are checked by the other two with skipLibCheck false).
  for (const resolution of ['bundler', 'node16', 'readme']) {
    const project = join(work, resolution);
    makeConsumerProject(project, tarball, resolution === 'readme' ? [...linked, ...linkedForReadme] : linked);
    for (const file of readdirSync(fixtures).filter((name) => name.endsWith('.ts'))) cpSync(join(fixtures, file), join(project, file));
    const readmeFiles = resolution === 'readme' ? writeReadmeBlocks(project) : [];
    const tsconfig = JSON.parse(readFileSync(join(fixtures, `tsconfig.${resolution}.json`), 'utf8'));
    tsconfig.files.push(...readmeFiles);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `consumer-${resolution}`, private: true, type: 'module' }));
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
      console.log(`ok   packed types compile for the ${resolution} consumer`);
    } catch (error) {
      failed = true;
      console.log(`FAIL packed types, the ${resolution} consumer:\n${error.stdout}${error.stderr}`);
    }
  }
  if (failed) process.exitCode = 1;

  /** Writes each ```ts block of the README as a module; returns the file names. */
  function writeReadmeBlocks(project) {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const blocks = readmeBlocks(readme);
    const files = ['readme-ambient.d.ts'];
    blocks.forEach(({ language, code }, index) => {
      const named = /^\/\/ ([\w-]+)\.ts\n/.exec(code);
      const file = named ? `${named[1]}.ts` : `readme-${index + 1}.${language}`;
      writeFileSync(join(project, file), `${code}\nexport {};\n`);
      files.push(file);
    });
    console.log(`     README: ${blocks.length} TypeScript blocks (ts and tsx)`);
    return files;
  }
} finally {
  if (!process.env.KEEP_TYPES_WORK) rmSync(work, { recursive: true, force: true });
  else console.log(work);
}
