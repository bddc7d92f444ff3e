// One declaration file per entry (dist/index.d.ts, dist/server.d.ts, dist/msgpack.d.ts), bundled
// from the per-file declarations that `tsc -p tsconfig.build.json` writes to build/types. A user's
// compiler sees the public surface and nothing else: no relative imports to resolve (which
// `node16` resolution would need extensions for), no internal module to reach into.
import { dts } from 'rollup-plugin-dts';

const entries = {
  index: 'sdk/index',
  server: 'server-shim/index',
  redis: 'server-shim/redis/index',
  msgpack: 'protocol/msgpack-codec',
  testing: 'testing/index',
  devtools: 'devtools/index',
};

/** @type {import('rollup').RollupOptions[]} */
export default Object.entries(entries).map(([name, source]) => ({
  input: `build/types/${source}.d.ts`,
  output: { file: `dist/${name}.d.ts`, format: 'es' },
  external: (id) => /^(nanostores|msgpackr|uWebSockets\.js|@playwright\/test|ws|@redis\/client)(\/|$)/.test(id) || id.startsWith('node:'),
  plugins: [dts({ respectExternal: false })],
}));
