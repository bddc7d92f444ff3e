// Measures every import set in size-budgets.mjs and fails when one is over budget, or when the
// README's table does not quote the budgets. Bundles as an app would: the built npm entries,
// resolved for the browser, minified with terser, gzipped.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import { budgets } from './size-budgets.mjs';
import { TERSER_OPTIONS } from './terser-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = { wirestore: 'dist/index.js', 'wirestore/msgpack': 'dist/msgpack.js', 'wirestore/devtools': 'dist/devtools.js' };

/** What an app's production build holds: its entry chunk, and every chunk it could load. */
async function bundle(code) {
  const build = await rollup({
    input: 'entry',
    plugins: [
      {
        name: 'virtual-entry',
        // As a bundler would from package.json: our entries declare `sideEffects: false`.
        resolveId: (id) => (id === 'entry' ? id : entries[id] ? { id: root + entries[id], moduleSideEffects: false } : null),
        load: (id) => (id === 'entry' ? code : null),
      },
      // As an app's production build: bundlers define this, and the devtools hooks go with it.
      replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
      nodeResolve({ browser: true }),
    ],
    onwarn: () => {},
  });
  const { output } = await build.generate({ format: 'es', plugins: [terser(TERSER_OPTIONS)] });
  await build.close();
  return output.filter((chunk) => chunk.type === 'chunk');
}

async function bundleSize(code) {
  // Only the entry chunk: dynamic imports (the msgpack codec) are separate files a page loads on demand.
  const source = (await bundle(code)).find((chunk) => chunk.isEntry).code.trim();
  if (process.env.SHOW_BUNDLE) console.log(source);
  return source.length === 0 ? 0 : gzipSync(source, { level: 9 }).length;
}

/**
 * A production build of an app that turns devtools on (in dev) must carry none of them: no chunk
 * of theirs, and the same entry as the app without them but for the option itself.
 */
async function devtoolsFreeInProduction() {
  const withDevtools = await bundle("import { createClient } from 'wirestore'; createClient({ devtools: true }).call('x')");
  const without = await bundle("import { createClient } from 'wirestore'; createClient({}).call('x')");
  const code = (chunks) => chunks.map((chunk) => chunk.code).join('');
  const extra = code(withDevtools).replace('{devtools:!0}', '{}');
  const problems = [];
  if (withDevtools.length !== without.length) problems.push(`${withDevtools.length} chunks instead of ${without.length}`);
  if (extra !== code(without)) problems.push('its code differs from the app without devtools beyond the option');
  if (/__wirestore__|data-wirestore-devtools|recorder/.test(code(withDevtools))) problems.push('it holds devtools code');
  return problems;
}

const readme = await readFile(root + 'README.md', 'utf8');
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
let failed = false;
for (const budget of budgets) {
  const size = budget.file ? gzipSync(await readFile(root + budget.file), { level: 9 }).length : await bundleSize(budget.code);
  const over = size > budget.limitBytes;
  failed ||= over;
  console.log(`${over ? 'FAIL' : 'ok  '} ${budget.name.padEnd(36)} ${kb(size).padStart(9)}  (budget ${kb(budget.limitBytes)}; ${size} B)`);
  const quoted = `| ${budget.name} | ${kb(budget.limitBytes)} |`;
  if (!readme.includes(quoted)) {
    failed = true;
    console.log(`FAIL README.md does not quote this budget as: ${quoted}`);
  }
}
const devtoolsProblems = await devtoolsFreeInProduction();
console.log(
  devtoolsProblems.length === 0
    ? 'ok   production build with devtools on       byte-identical to one without (but the option)'
    : `FAIL production build with devtools on: ${devtoolsProblems.join('; ')}`,
);
failed ||= devtoolsProblems.length > 0;
if (failed) process.exit(1);
