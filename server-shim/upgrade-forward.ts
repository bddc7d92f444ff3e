import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

/** Where the shim listens: a `LiveServer` once `listen` resolved. */
export interface ForwardTarget {
  readonly port: number | undefined;
}

/**
 * A listener for a Node HTTP server's `upgrade` event that hands WebSocket upgrades on `path`
 * (default `/ws`) to the shim on loopback, so pages reach it on their own origin: the way to run
 * the shim inside a SvelteKit (adapter-node), Express or Fastify process that owns the public port.
 * The raw connection is piped both ways; uWS still does the upgrade, the origin check and
 * `authenticate` (headers, cookies and query arrive as sent). The client's address travels in
 * `X-Forwarded-For`: set `trustProxy: true` on the shim to use it for per-IP limits.
 * Returns true when it took the request, false when it was not for `path` (another listener may).
 * @example
 * const live = createServer({ api, trustProxy: true });
 * await live.listen(0); // any free loopback port
 * const http = createHttpServer(handler).on('upgrade', forwardUpgrades(live));
 */
export function forwardUpgrades(target: ForwardTarget, options: { path?: string } = {}) {
  const path = options.path ?? '/ws';
  return (request: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const url = request.url ?? '/';
    if (url !== path && !url.startsWith(`${path}?`)) return false;
    if (target.port === undefined) {
      socket.destroy(); // the shim is not listening (yet, or any more): the client retries
      return true;
    }
    const upstream = connect(target.port, '127.0.0.1');
    const lines = [`${request.method ?? 'GET'} ${url} HTTP/1.1`];
    let forwardedFor = '';
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      const name = request.rawHeaders[i]!;
      const value = request.rawHeaders[i + 1]!;
      if (name.toLowerCase() === 'x-forwarded-for') forwardedFor = value;
      else lines.push(`${name}: ${value}`);
    }
    const peer = request.socket.remoteAddress ?? '';
    lines.push(`X-Forwarded-For: ${forwardedFor ? `${forwardedFor}, ${peer}` : peer}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    socket.pipe(upstream).pipe(socket);
    const closeBoth = () => {
      socket.destroy();
      upstream.destroy();
    };
    for (const side of [socket, upstream]) side.on('error', closeBoth).on('close', closeBoth);
    return true;
  };
}
