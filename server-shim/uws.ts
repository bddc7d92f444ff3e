import { createRequire } from 'node:module';
import type * as Uws from 'uWebSockets.js';

const require = createRequire(import.meta.url);

const INSTALL_HINT =
  'Node 20: npm install "uWebSockets.js@npm:@trufflesuite/uws-js-unofficial@20.30.0-unofficial.0" (glibc ≥ 2.27); ' +
  'Node 22 or newer: npm install "uWebSockets.js@github:uNetworking/uWebSockets.js#v20.57.0" (glibc ≥ 2.38).';

let loaded: typeof Uws | undefined;

/**
 * uWebSockets.js, a peer dependency under its own name, loaded when a server is first created
 * (browser-only users never install it). Throws with what to install when it is missing.
 */
export function uws(): typeof Uws {
  if (loaded) return loaded;
  try {
    loaded = require('uWebSockets.js') as typeof Uws;
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(`wirestore/server needs uWebSockets.js, which is not installed. ${INSTALL_HINT}`, { cause: error });
  }
  return loaded;
}

/**
 * True when the native uWS binary is running, false when its JavaScript fallback loaded instead:
 * that package quietly swaps in a slow imitation when its native binary fails to load (wrong Node
 * ABI, missing glibc, …), and a native addon leaves a `.node` file in the require cache.
 */
export function uwsIsNative(): boolean {
  uws();
  return Object.keys(require.cache).some((path) => path.endsWith('.node') && /uWebSockets\.js|uws-js-unofficial|uwebsockets/i.test(path));
}

/** The glibc version this Node runs on, e.g. `2.36`; undefined on musl or without a report. */
function glibcOfThisHost(): string | undefined {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime;
}

/** Whether `version` (e.g. `2.36`) is older than `minimum` (e.g. `2.38`). */
const olderThan = (version: string, minimum: string) => version.localeCompare(minimum, undefined, { numeric: true }) < 0;

/**
 * Refuses to run the shim on uWS's JavaScript fallback, which that package loads silently when
 * no native binary fits this host: far slower, and it behaves differently at the edges (limits,
 * backpressure, close codes). Throws with what this host is and what to install instead.
 */
export function requireNativeUws(isNative: boolean = uwsIsNative()): void {
  if (isNative) return;
  const glibc = glibcOfThisHost();
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  const stuck =
    nodeMajor >= 22 && glibc && olderThan(glibc, '2.38')
      ? ` On this host (glibc ${glibc}) no uWS build runs Node ${nodeMajor}: run the shim on Node 20, or on a newer distribution.`
      : '';
  throw new Error(
    `wirestore: uWebSockets.js has no native binary for this host (Node ${process.versions.node}, ABI ${process.versions.modules}, ` +
      `${process.platform}-${process.arch}, ${glibc ? `glibc ${glibc}` : 'not glibc (musl?) or unknown'}), and the shim never ` +
      `serves on its JavaScript fallback. Install the build for this Node: ${INSTALL_HINT}${stuck}`,
  );
}
