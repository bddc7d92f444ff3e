import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
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
 * Playwright's own Chromium when it is installed, else the `chromium` on the PATH (Debian's),
 * else a clear failure saying how to get one.
 */
export function chromiumExecutable(): string | undefined {
  try {
    if (existsSync(chromium.executablePath())) return undefined; // Playwright's own: no override needed.
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
