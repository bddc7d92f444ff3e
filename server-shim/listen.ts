import { connect } from 'node:net';
import type { TemplatedApp, us_listen_socket } from 'uWebSockets.js';
import type { Logger } from './options';

/** uWS's `LIBUS_LISTEN_EXCLUSIVE_PORT`: fail instead of sharing the port with another listener. */
const LISTEN_EXCLUSIVE_PORT = 1;

/** Linux keeps a closed connection's port in TIME_WAIT for 60 s; a little more, then give up. */
export const TIME_WAIT_LIMIT_MS = 65_000;

/** `app.listen(host, port, options, cb)`: the native call takes options after the port; its types omit that form. */
function listenExclusive(app: TemplatedApp, host: string, port: number): Promise<us_listen_socket | false> {
  return new Promise((resolve) =>
    (app.listen as unknown as (host: string, port: number, options: number, cb: (socket: us_listen_socket | false) => void) => void).call(
      app,
      host,
      port,
      LISTEN_EXCLUSIVE_PORT,
      resolve,
    ),
  );
}

/** Whether something accepts connections on the port now (a live listener, not leftovers). */
function someoneListens(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect({ host: host === '0.0.0.0' ? '127.0.0.1' : host, port });
    probe.once('connect', () => (probe.destroy(), resolve(true)));
    probe.once('error', () => resolve(false));
  });
}

/**
 * Listens exclusively: uWS otherwise shares a port (SO_REUSEPORT), and a second process
 * "listening" on it would silently take half of the connections. When the port is taken by a
 * live listener, fails at once. When nothing listens there, what holds the port is connections a
 * previous server closed (TIME_WAIT: uWS binds without SO_REUSEADDR), which the kernel frees
 * within a minute: says so and waits for it, as a restart on a fixed port needs.
 */
export async function listenOrWait(
  app: TemplatedApp,
  host: string,
  port: number,
  logger: Logger,
  limitMs = TIME_WAIT_LIMIT_MS,
  retryMs = 250,
): Promise<us_listen_socket> {
  const startedAt = Date.now();
  let warned = false;
  for (;;) {
    const socket = await listenExclusive(app, host, port);
    if (socket) return socket;
    if (port === 0 || (await someoneListens(host, port))) {
      throw new Error(
        `wirestore: cannot listen on ${host}:${port}: the port is in use (or not allowed); stop the other process or pick another port`,
      );
    }
    if (Date.now() - startedAt >= limitMs) {
      throw new Error(`wirestore: cannot listen on ${host}:${port}: still held by closed connections after ${limitMs} ms`);
    }
    if (!warned) {
      logger.warn(
        `[wirestore] ${host}:${port} is still held by connections the previous server closed (TCP TIME_WAIT, up to 60 s); listening as soon as it is free`,
      );
      warned = true;
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}
