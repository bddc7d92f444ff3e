// Builds the framework fixture apps (React, Vue, Svelte 5) with Vite into e2e/apps/dist, against
// the built package (dist/), as an app that installed wirestore would. Run by Playwright's global
// setup, after `npm run build`.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

export async function buildFrameworkApps() {
  await build({
    root: here,
    base: '/apps/',
    logLevel: 'warn',
    configFile: false,
    plugins: [svelte()],
    esbuild: { jsx: 'automatic' },
    resolve: {
      alias: [{ find: /^wirestore$/, replacement: `${root}dist/index.js` }],
    },
    build: {
      outDir: `${here}dist`,
      emptyOutDir: true,
      rollupOptions: {
        input: { react: `${here}react/index.html`, vue: `${here}vue/index.html`, svelte: `${here}svelte/index.html` },
      },
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildFrameworkApps();
