import { dev } from '$app/environment';
import type { LiveServer } from 'wirestore/server';
import { hotServer } from 'wirestore/server';
import { api } from './api';

let started: Promise<LiveServer> | undefined;

/**
 * The shim of this process, on loopback, started on first use (not at import: the build imports
 * this module to analyse the routes). Dev: Vite forwards /ws to it (vite.config.js), and a hot
 * reload of this module swaps in the edited API instead of starting a second listener.
 * Production: server.js forwards /ws from the public port to it, so any free port will do (a fixed
 * one could still be held by the previous process's closed connections for a minute).
 */
const port = Number(process.env.WIRESTORE_PORT ?? (dev ? 3001 : 0));
export const live = (): Promise<LiveServer> => (started ??= hotServer('sveltekit', { api, trustProxy: true }, { port }));
