// Builds the Svelte demo (demo/app) with Vite into demo/dist, against the built package (dist/).
// `npm start` runs it after `npm run build`.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const app = fileURLToPath(new URL('./app/', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildDemo() {
  await build({
    root: app,
    logLevel: 'warn',
    configFile: false,
    plugins: [svelte()],
    resolve: { alias: [{ find: /^wirestore$/, replacement: `${root}dist/index.js` }] },
    build: { outDir: fileURLToPath(new URL('./dist', import.meta.url)), emptyOutDir: true },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildDemo();
