// Builds the framework fixture apps (React, Vue, Svelte 5) with Vite into e2e/apps/dist (and the
// React one in development mode into e2e/apps/dist-dev), against
// the built package (dist/), as an app that installed wirestore would. Run by Playwright's global
// setup, after `npm run build`.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

export async function buildFrameworkApps() {
  await buildApps('production');
  // The React app again as a development build (as `vite` serves it in dev): devtools included.
  await buildApps('development');
  // And twice more in production, alone, with `devtools: true` and with it turned off, for the
  // byte comparison that proves a production build carries none of the devtools.
  await buildDevtoolsPair();
}

/** e2e/apps/dist-devtools/{on,off}: the React app's production build with and without `devtools: true`. */
async function buildDevtoolsPair() {
  for (const devtools of ['on', 'off']) {
    await build({
      root: here,
      base: '/apps/',
      mode: 'production',
      logLevel: 'warn',
      configFile: false,
      plugins: [
        {
          name: 'devtools-switch',
          transform: (code, id) =>
            devtools === 'off' && id.endsWith('shared/client.ts') ? code.replace('devtools: true', 'devtools: false') : null,
        },
      ],
      esbuild: { jsx: 'automatic' },
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      resolve: { alias: [{ find: /^wirestore$/, replacement: `${root}dist/index.js` }] },
      build: {
        outDir: `${here}dist-devtools/${devtools}`,
        emptyOutDir: true,
        rollupOptions: { input: { react: `${here}react/index.html` } },
      },
    });
  }
}

/** The three apps in production mode (`dist/`), or the React one in development mode (`dist-dev/`). */
function buildApps(mode) {
  const dev = mode === 'development';
  return build({
    root: here,
    base: dev ? '/apps-dev/' : '/apps/',
    mode,
    logLevel: 'warn',
    configFile: false,
    plugins: [svelte()],
    esbuild: { jsx: 'automatic' },
    define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
    resolve: {
      alias: [{ find: /^wirestore$/, replacement: `${root}dist/index.js` }],
    },
    build: {
      outDir: `${here}${dev ? 'dist-dev' : 'dist'}`,
      emptyOutDir: true,
      minify: !dev,
      rollupOptions: {
        input: dev
          ? { react: `${here}react/index.html` }
          : { react: `${here}react/index.html`, vue: `${here}vue/index.html`, svelte: `${here}svelte/index.html` },
      },
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildFrameworkApps();
