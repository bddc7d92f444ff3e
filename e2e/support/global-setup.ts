import { buildFrameworkApps } from '../apps/build.mjs';

/** Builds the framework fixture apps once per run (the package itself is built by `npm run build`). */
export default async function globalSetup(): Promise<void> {
  await buildFrameworkApps();
}
