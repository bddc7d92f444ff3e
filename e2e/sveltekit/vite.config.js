import { sveltekit } from '@sveltejs/kit/vite';
import { fileURLToPath } from 'node:url';

// In an app that installed wirestore these aliases are not needed: here they point at this
// repository's build. In dev, Vite forwards /ws to the shim, so pages use their own origin.
const root = fileURLToPath(new URL('../..', import.meta.url));
const shimPort = Number(process.env.WIRESTORE_PORT ?? 3001);

export default {
  plugins: [sveltekit()],
  resolve: {
    alias: [
      { find: /^wirestore$/, replacement: `${root}dist/index.js` },
      { find: /^wirestore\/server$/, replacement: `${root}dist/server.js` },
    ],
  },
  ssr: { external: ['uWebSockets.js'] },
  server: { proxy: { '/ws': { target: `ws://127.0.0.1:${shimPort}`, ws: true } } },
};
