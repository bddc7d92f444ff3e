import type { ServerOptions } from './options';
import { createServer, type LiveServer } from './server';

const REGISTRY = Symbol.for('wirestore.hotServers');

type Registry = Map<string, Promise<LiveServer>>;

/**
 * A server that survives a dev server's hot reload. The module that creates the shim runs again
 * on every edit; a plain `createServer` there would start another listener each time (and split
 * the clients between two epochs). The first run creates and listens; later runs in the same
 * process keep that server and swap in the new `api` (`replaceApi`): connections, topics and
 * positions stay, and the edited handlers answer the next call. Other options take effect on the
 * next process start.
 * @example
 * // src/lib/server/live.ts (SvelteKit), awaited by hooks.server's `init`
 * export const live = hotServer('app', { api }, { port: 3001 });
 */
export function hotServer<User = unknown>(
  key: string,
  options: ServerOptions<User>,
  listen: { port?: number; host?: string } = {},
): Promise<LiveServer> {
  const registry: Registry = ((globalThis as { [REGISTRY]?: Registry })[REGISTRY] ??= new Map());
  const running = registry.get(key);
  if (running) {
    return running.then((server: LiveServer) => {
      server.replaceApi(options.api ?? {});
      return server;
    });
  }
  const starting = (async () => {
    const server = createServer(options);
    await server.listen(listen.port, listen.host);
    return server;
  })();
  registry.set(key, starting);
  starting.catch(() => registry.delete(key)); // a failed start does not block the next try
  return starting;
}
