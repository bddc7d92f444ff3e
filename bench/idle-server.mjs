// One server for the idle-connection memory benchmark, in its own process so its memory can be
// read alone: `raw` or `raw-upgrade` (uWS apps whose sockets do nothing, see below) or `shim`
// (the wirestore shim with its defaults, the per-IP upgrade limit raised so one process may open
// thousands of sockets).
// Driven over IPC by idle-memory.mjs: {cmd: 'memory'} answers {rss, heapUsed} after a full GC.
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createServer } from '../dist/server.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const kind = process.argv[2];
let port;
if (kind === 'shim') {
  // Defaults, but for a per-IP upgrade limit high enough for one process to open them all.
  const server = createServer({ rateLimit: { upgradesPerIp: { perSecond: 1e6, burst: 1e6 } }, logger: { ...console, debug() {} } });
  port = await server.listen(0, '127.0.0.1');
} else {
  const uws = createRequire(import.meta.url)('uWebSockets.js');
  const app = uws.App();
  // raw: the bare minimum (uWS's default upgrade, a tiny first frame). raw-upgrade: the least a
  // real app does: an upgrade handler that reads the handshake and attaches a user-data object,
  // and a first frame the size of the shim's hello.
  const hello = kind === 'raw-upgrade' ? JSON.stringify({ type: 'hello', pad: 'x'.repeat(150) }) : '{"type":"hello"}';
  app.ws('/ws', {
    idleTimeout: 120,
    ...(kind === 'raw-upgrade' && {
      upgrade: (res, req, context) => {
        const key = req.getHeader('sec-websocket-key');
        const protocol = req.getHeader('sec-websocket-protocol');
        const extensions = req.getHeader('sec-websocket-extensions');
        res.onAborted(() => {});
        res.cork(() => res.upgrade({ user: undefined, connectionId: '' }, key, protocol, extensions, context));
      },
    }),
    open: (ws) => ws.send(hello, false),
  });
  port = await new Promise((resolve) => app.listen('127.0.0.1', 0, (socket) => resolve(uws.us_socket_local_port(socket))));
}

process.on('message', (message) => {
  if (message.cmd !== 'memory') return;
  for (let i = 0; i < 3; i++) gc();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.send({ rss, heapUsed, heapTotal, external, arrayBuffers });
});
process.send({ port });
