// Which Chromium the e2e tests and the browser benchmark run, and with which flags. Shared by
// e2e/support/browser.ts and bench/tabs.mjs (plain JavaScript, so the bench needs no compiler).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Flags for a headless Chromium in a sandboxed CI box with no network beyond loopback. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Playwright's own Chromium when it is installed (undefined: no override needed), else the
 * `chromium` on the PATH (Debian's), else a clear failure saying how to get one.
 */
export function chromiumExecutable() {
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // executablePath() throws when Playwright has no browser registry entry; fall through.
  }
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not on the PATH
    }
  }
  throw new Error(
    'No Chromium for the e2e tests. Install one: `npx playwright install chromium`, or on Debian/Ubuntu `apt-get install chromium`.',
  );
}
