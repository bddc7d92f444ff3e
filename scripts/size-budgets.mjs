// Byte budgets per import set, gzip level 9, checked by `npm test` (scripts/check-size.mjs).
// The README's "Size" table quotes these; scripts/check-size.mjs fails if the two disagree.
export const budgets = [
  { name: 'core JSON client', code: "import { createClient } from 'wirestore'; createClient().call('x')", limitBytes: 10 * 1024 },
  // Every export of the SDK, where an app's bundler would keep only what it imports.
  { name: 'CDN file wirestore.js', file: 'dist/cdn/wirestore.js', limitBytes: 11 * 1024 },
  { name: 'CDN file wirestore-msgpack.js', file: 'dist/cdn/wirestore-msgpack.js', limitBytes: 13 * 1024 },
  { name: 'CDN file wirestore-offline.js', file: 'dist/cdn/wirestore-offline.js', limitBytes: 3 * 1024 },
  { name: 'CDN file wirestore-writes.js', file: 'dist/cdn/wirestore-writes.js', limitBytes: 2 * 1024 },
  { name: 'CDN file wirestore-tabs.js', file: 'dist/cdn/wirestore-tabs.js', limitBytes: 4 * 1024 },
  // Development only (dist/cdn/dev): the overlay, loaded on the first Ctrl+Shift+L, and the recorder.
  { name: 'devtools overlay chunk', file: 'dist/cdn/dev/wirestore-devtools-overlay.js', limitBytes: 15 * 1024 },
  { name: 'devtools recorder chunk', file: 'dist/cdn/dev/wirestore-devtools-recorder.js', limitBytes: 6 * 1024 },
  { name: 'CDN file wirestore-idb.js', file: 'dist/cdn/wirestore-idb.js', limitBytes: 1 * 1024 },
  { name: 'unused import of wirestore', code: "import 'wirestore'; import { createClient } from 'wirestore';", limitBytes: 0 },
  { name: 'unused import of wirestore/msgpack', code: "import 'wirestore/msgpack';", limitBytes: 0 },
];
