import { execFileSync } from 'node:child_process';
import { buildDemo } from '../../demo/build.mjs';
import { buildFrameworkApps } from '../apps/build.mjs';

/**
 * Builds the framework fixture apps and the SvelteKit app once per run (the package itself is
 * built by `npm run build`). SvelteKit reads its config from the working directory, so its build
 * runs there.
 */
export default async function globalSetup(): Promise<void> {
  await buildFrameworkApps();
  await buildDemo();
  try {
    execFileSync(process.execPath, ['../../node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
      cwd: 'e2e/sveltekit',
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`the SvelteKit fixture app did not build:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}
