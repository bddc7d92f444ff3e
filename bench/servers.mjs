// The two servers compared by the benchmarks, in their own process (so their CPU time can be
// read with process.cpuUsage()): the wirestore shim, and a hand-written raw uWS app doing the
// same job (encode once, app.publish; echo a frame back).
// Driven over IPC by run.mjs: {cmd: 'publish', count, batch} and {cmd: 'cpu'}.
import { createRequire } from 'node:module';
import { createServer } from '../dist/server.js';
import { redisEngine, redisPublisher } from '../dist/redis.js';

// 'shim' | 'shim-presence' | 'raw' | 'raw-json'; with REDIS_URL: 'shim-redis' (the Redis engine)
// and 'redis-publisher' (the bare Lua publish script through `redisPublisher`, no shim).
const kind = process.argv[2];
const uws = createRequire(import.meta.url)('uWebSockets.js');
const BACKPRESSURE = 256 * 1024 * 1024; // never drop: the benchmark counts every delivery
const TOPIC = 'bench';
const payloadFor = (i) => ({ i, x: 120.5, y: 64.25, who: 'bench-user' });

let publish;
let publishConfirmed;
let port;
if (kind.startsWith('shim')) {
  const server = createServer({
    api: { echo: (_ctx, value) => value },
    maxBackpressureBytes: BACKPRESSURE,
    // One process opens 1000 connections and makes 25k calls a second: limits off for the load.
    rateLimit: { calls: false, upgradesPerIp: false },
    logger: { ...console, debug() {} },
    // shim-presence: presence tracked on the benchmark topic, pressure sampled 10× a second.
    ...(kind === 'shim-presence' && { presence: { topics: (topic) => topic === TOPIC }, pressure: { sampleIntervalMs: 100 } }),
    ...(kind === 'shim-redis' && { engine: redisEngine({ url: process.env.REDIS_URL, prefix: process.env.REDIS_PREFIX }) }),
  });
  port = await server.listen(0, '127.0.0.1');
  publish = (i) => server.publish(TOPIC, 'tick', payloadFor(i));
  publishConfirmed = (topic, i) => server.publishConfirmed(topic, 'tick', payloadFor(i));
} else if (kind === 'redis-publisher') {
  const publisher = await redisPublisher({ url: process.env.REDIS_URL, prefix: process.env.REDIS_PREFIX });
  publishConfirmed = (topic, i) => publisher.publish(topic, 'tick', payloadFor(i));
  publish = (i) => void publisher.publish(TOPIC, 'tick', payloadFor(i));
  port = 0;
} else {
  const app = uws.App();
  let seq = 0;
  app.ws('/ws', {
    maxBackpressure: BACKPRESSURE,
    maxPayloadLength: 16 * 1024 * 1024,
    open: (ws) => ws.subscribe(TOPIC),
    message:
      kind === 'raw-json'
        ? (ws, message) => {
            // The least any JSON RPC server does: parse the call, stringify a reply.
            const call = JSON.parse(Buffer.from(message).toString());
            ws.send(JSON.stringify({ type: 'result', id: call.id, data: call.args[0] }), false);
          }
        : (ws, message, isBinary) => ws.send(message, isBinary),
  });
  port = await new Promise((resolve) => app.listen('127.0.0.1', 0, (socket) => resolve(uws.us_socket_local_port(socket))));
  publish = (i) => app.publish(TOPIC, JSON.stringify({ topic: TOPIC, event: 'tick', data: payloadFor(i), seq: ++seq }), false);
}

let cpuAtStart = process.cpuUsage();
process.on('message', (message) => {
  if (message.cmd === 'publish') {
    cpuAtStart = process.cpuUsage();
    let sent = 0;
    // Rounds of `batch` publishes, yielding between rounds so uWS can flush: a bounded loop.
    const round = () => {
      const end = Math.min(sent + message.batch, message.count);
      while (sent < end) publish(sent++);
      if (sent < message.count) setImmediate(round);
      else process.send({ published: sent });
    };
    round();
  } else if (message.cmd === 'publish-confirmed') {
    // `count` publishes on `topic`, `concurrency` in flight at once, each awaited: a bounded loop.
    const startedAt = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
      while (next < message.count) await publishConfirmed(message.topic, next++);
    };
    void Promise.all(Array.from({ length: message.concurrency }, worker)).then(() =>
      process.send({ confirmed: message.count, elapsedMs: Number(process.hrtime.bigint() - startedAt) / 1e6 }),
    );
  } else if (message.cmd === 'publish-to') {
    void Promise.all(Array.from({ length: message.count }, (_, i) => publishConfirmed(message.topic, i))).then(() =>
      process.send({ published: message.count }),
    );
  } else if (message.cmd === 'cpu') {
    const used = process.cpuUsage(cpuAtStart);
    process.send({ cpuMicros: used.user + used.system });
  } else if (message.cmd === 'exit') {
    process.exit(0);
  }
});
process.send({ port });
