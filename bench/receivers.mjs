// Opens N subscribers to one topic and counts delivered frames by their headers (no parsing).
// Driven over IPC by run.mjs; reports {ready} once every subscriber is in, then {done, count,
// elapsedMs} from the first to the last delivered frame.
import { connectWire } from './ws-wire.mjs';

const [port, kind, subscriberCount, expectedPerSubscriber] = process.argv.slice(2).map((v, i) => (i === 1 ? v : Number(v)));
const CONNECT_CONCURRENCY = 50;
const target = subscriberCount * expectedPerSubscriber;

let counting = false;
let count = 0;
let firstAt = 0n;
const isShim = kind.startsWith('shim');
const framesBeforeReady = isShim ? 2 : 0; // shim: hello + subscribed
/** The 4th byte of `{"type"…`: `y`. An event starts `{"topic"…`, whose 4th byte is `o`. */
const TYPE_FIELD_PROBE = 'y'.charCodeAt(0);

function finish() {
  const elapsedMs = Number(process.hrtime.bigint() - firstAt) / 1e6;
  process.send({ done: true, count, elapsedMs });
}

const sockets = [];
async function open() {
  let seen = 0;
  let resolveReady;
  const ready = new Promise((resolve) => (resolveReady = resolve));
  if (framesBeforeReady === 0) resolveReady();
  const wire = await connectWire({
    port,
    protocol: isShim ? 'wirestore.v1.json' : undefined,
    onFrame(opcode, _payload, probe) {
      if (opcode !== 1 && opcode !== 2) return;
      if (!counting) {
        if (++seen === framesBeforeReady) resolveReady();
        return;
      }
      // Only events are deliveries: a pressure frame (`{"type":…`) is not one of them.
      if (probe === TYPE_FIELD_PROBE) return;
      if (count === 0) firstAt = process.hrtime.bigint();
      if (++count === target) finish();
    },
  });
  if (isShim) wire.sendText(JSON.stringify({ type: 'subscribe', ref: 1, topic: 'bench' }));
  await ready;
  sockets.push(wire);
}

for (let i = 0; i < subscriberCount; i += CONNECT_CONCURRENCY) {
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, subscriberCount - i) }, open));
}
counting = true;
process.send({ ready: true });
process.on('message', (message) => {
  if (message.cmd === 'report') process.send({ done: count === target, count, elapsedMs: Number(process.hrtime.bigint() - firstAt) / 1e6 });
  if (message.cmd === 'exit') {
    for (const wire of sockets) wire.close();
    process.exit(0);
  }
});
