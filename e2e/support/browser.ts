// The e2e tests' Chromium: see scripts/chromium.mjs (shared with the browser benchmark).
export { CHROMIUM_ARGS, chromiumExecutable } from '../../scripts/chromium.mjs';
