// Two builds from the same sources:
// - npm: ESM entries (wirestore, wirestore/server, wirestore/msgpack) with dependencies external;
//   `.d.ts` files come from `tsc -p tsconfig.build.json` (see the build script).
// - cdn: one self-contained, minified ESM file for <script type="module">, with nanostores
//   inlined; the msgpack codec (msgpackr inlined) is its own file, loaded only when asked for.
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { TERSER_OPTIONS } from './scripts/terser-options.mjs';

const typescriptPlugin = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['protocol/**/*.ts', 'sdk/**/*.ts', 'server-shim/**/*.ts', 'testing/**/*.ts', 'devtools/**/*.ts'],
    exclude: ['**/*.test.ts', '**/test-support/**'],
    compilerOptions: { noEmit: false, declaration: false, sourceMap: true },
    noEmitOnError: true,
  });

const isExternalForNpm = (id) =>
  /^(nanostores|msgpackr|uWebSockets\.js|@playwright\/test|ws|@redis\/client)(\/|$)/.test(id) || id.startsWith('node:');

/** @type {import('rollup').RollupOptions[]} */
export default [
  {
    input: {
      index: 'sdk/index.ts',
      server: 'server-shim/index.ts',
      redis: 'server-shim/redis/index.ts',
      msgpack: 'protocol/msgpack-codec.ts',
      testing: 'testing/index.ts',
      devtools: 'devtools/index.ts',
    },
    external: isExternalForNpm,
    plugins: [typescriptPlugin()],
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      chunkFileNames: 'chunks/[name]-[hash].js',
    },
  },
  cdnBuild('production'),
  // The development CDN files: the same client with its devtools hooks, and the overlay
  // (`dist/cdn/dev/wirestore.js` and `wirestore-devtools.js`), like React's development builds.
  cdnBuild('development'),
];

/** The self-contained CDN files for `<script type="module">`, production or development. */
function cdnBuild(mode) {
  const dev = mode === 'development';
  return {
    input: dev ? { wirestore: 'sdk/index.ts', 'wirestore-devtools': 'devtools/index.ts' } : { wirestore: 'sdk/index.ts' },
    // Code shared with the on-demand chunks stays in wirestore.js (which then exports a few
    // internals for them) instead of moving to a third file: the core remains one file.
    preserveEntrySignatures: 'allow-extension',
    plugins: [
      // A <script type="module"> page has no bundler to define this; nanostores reads it.
      replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify(mode) } }),
      nodeResolve({ browser: true }),
      typescriptPlugin(),
    ],
    output: {
      dir: dev ? 'dist/cdn/dev' : 'dist/cdn',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      // Stable names, so a page can preload the msgpack file by URL.
      chunkFileNames: (chunk) =>
        ({
          'msgpack-codec': 'wirestore-msgpack.js',
          'offline-setup': 'wirestore-offline.js',
          'stream-mutations': 'wirestore-writes.js',
          'tab-share': 'wirestore-tabs.js',
          recorder: 'wirestore-devtools-recorder.js',
          overlay: 'wirestore-devtools-overlay.js',
        })[chunk.name] ?? 'wirestore-[name].js',
      // idb-keyval, shared by persisted streams and the offline queue, loaded by whichever comes first.
      manualChunks: (id) => (id.includes('/node_modules/idb-keyval/') ? 'idb' : undefined),
      plugins: [terser(TERSER_OPTIONS)],
    },
  };
}
