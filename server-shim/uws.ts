import { createRequire } from 'node:module';
import type * as Uws from 'uWebSockets.js';

const require = createRequire(import.meta.url);

/**
 * uWebSockets.js, loaded through its npm alias. That package quietly swaps in a slow JavaScript
 * imitation when its native binary fails to load (wrong Node ABI, missing glibc, …), so we check
 * which one we got: a native addon leaves a `.node` file in the require cache.
 */
export const uws: typeof Uws = require('uWebSockets.js');

/** True when the native uWS binary is running, false when the JS fallback loaded instead. */
export const uwsIsNative: boolean = Object.keys(require.cache).some(
  (path) => path.endsWith('.node') && /uWebSockets\.js|uws-js-unofficial/.test(path),
);

/** The C library this Node runs on, e.g. `glibc 2.36`, or `unknown` (musl, or no report). */
function libcOfThisHost(): string {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ? `glibc ${header.glibcVersionRuntime}` : 'not glibc (musl?) or unknown';
}

/**
 * Refuses to run the shim on uWS's JavaScript fallback, which that package loads silently when
 * no native binary fits this host: far slower, and it behaves differently at the edges (limits,
 * backpressure, close codes). Throws with what this host is and what to install instead.
 */
export function requireNativeUws(isNative: boolean = uwsIsNative): void {
  if (isNative) return;
  throw new Error(
    `wirestore: uWebSockets.js has no native binary for this host (Node ${process.versions.node}, ABI ${process.versions.modules}, ` +
      `${process.platform}-${process.arch}, ${libcOfThisHost()}), and the shim never serves on its JavaScript fallback. ` +
      'The build wirestore depends on (v20.30) supports Node 20 on glibc ≥ 2.27; for Node 22 or newer install a ' +
      'uWebSockets.js build of v20.57 or later (it needs glibc ≥ 2.38), under the name uWebSockets.js.',
  );
}
