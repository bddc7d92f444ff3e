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

let warned = false;

/** Says, once and loudly, that the fallback is running. */
export function warnIfUwsFallback(log: (message: string) => void): void {
  if (uwsIsNative || warned) return;
  warned = true;
  log(
    '\n' +
      '!!! wirestore: uWebSockets.js is running its JavaScript FALLBACK, not the native binary.\n' +
      '!!! Expect far lower throughput and different edge-case behaviour. Use Node 20 on\n' +
      `!!! linux/darwin/win32 x64 or arm64 (this is Node ${process.versions.node}, ABI ${process.versions.modules}, ${process.platform}-${process.arch}).\n`,
  );
}
