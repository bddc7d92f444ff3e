// Measures every import set in size-budgets.mjs and fails when one is over budget, or when the
// README's table does not quote the budgets. Bundles as an app would: the built npm entries,
// resolved for the browser, minified with terser, gzipped.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import { budgets } from './size-budgets.mjs';
import { TERSER_OPTIONS } from './terser-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = { wirestore: 'dist/index.js', 'wirestore/msgpack': 'dist/msgpack.js' };

async function bundleSize(code) {
  const bundle = await rollup({
    input: 'entry',
    plugins: [
      {
        name: 'virtual-entry',
        // As a bundler would from package.json: our entries declare `sideEffects: false`.
        resolveId: (id) => (id === 'entry' ? id : entries[id] ? { id: root + entries[id], moduleSideEffects: false } : null),
        load: (id) => (id === 'entry' ? code : null),
      },
      nodeResolve({ browser: true }),
    ],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'es', plugins: [terser(TERSER_OPTIONS)] });
  await bundle.close();
  // Only the entry chunk: dynamic imports (the msgpack codec) are separate files a page loads on demand.
  const source = output.find((chunk) => chunk.type === 'chunk' && chunk.isEntry).code.trim();
  if (process.env.SHOW_BUNDLE) console.log(source);
  return source.length === 0 ? 0 : gzipSync(source, { level: 9 }).length;
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
if (failed) process.exit(1);
