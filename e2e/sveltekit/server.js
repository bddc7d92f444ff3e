// Production: the SvelteKit app (adapter-node's handler) and the shim in one process, on one
// port. Pages and /ws share the origin; SIGTERM closes both gracefully, then the process exits.
import { createServer } from 'node:http';
import { forwardUpgrades } from '../../dist/server.js'; // 'wirestore/server' in an app
import { handler } from './build/handler.js';

// hooks.server's `init` has started the shim by now (the handler module awaits it).
const live = await globalThis[Symbol.for('wirestore.hotServers')].get('sveltekit');
const http = createServer(handler).on('upgrade', (request, socket, head) => {
  if (!forwardUpgrades(live)(request, socket, head)) socket.destroy();
});
http.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`listening on ${http.address().port}`);
});

async function shutDown(signal) {
  console.log(`${signal}: closing`);
  http.close(); // no new requests
  await live.close({ drainTimeoutMs: 5000 }); // running calls reply, sockets close with 1001
  http.closeAllConnections();
  process.exit(0);
}
process.once('SIGTERM', () => void shutDown('SIGTERM'));
process.once('SIGINT', () => void shutDown('SIGINT'));
