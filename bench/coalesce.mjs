// A slow consumer (its bandwidth capped by a throttling proxy) receives cursor updates for 50
// keys at a high rate, once through plain publish and once through coalesced sends.
// - bytes / frames: what each way puts on the consumer's wire. Plain publish queues every update
//   (counted as it is published: the consumer must take all of it, or be cut off); coalesced
//   sends are counted at the consumer until it holds the final value of every key.
// - age: how old the newest values the consumer holds are while updates flow (median).
// JSON lines; ratio = coalesced / plain. Loopback only; every loop is bounded.
import net from 'node:net';
import { createServer } from '../dist/server.js';
import { connectWire } from './ws-wire.mjs';

const KEYS = 50;
const UPDATES_PER_KEY_PER_SECOND = 500; // 25k updates/s in all
const PRODUCE_MS = 3000;
const BYTES_PER_SECOND = 64 * 1024; // the consumer's link: about 0.5 Mbit/s, a poor mobile connection
const DRAIN_TIMEOUT_MS = 60_000;

/**
 * A proxy that forwards server → client at most BYTES_PER_SECOND and reads from the server only
 * what it forwards, so the server feels real TCP backpressure (a proxy that read everything
 * would hide the slow link in its own memory).
 */
function throttlingProxy(targetPort) {
  return new Promise((resolve) => {
    const server = net.createServer((client) => {
      const upstream = new net.Socket({ readableHighWaterMark: 4096 });
      upstream.connect(targetPort, '127.0.0.1');
      client.pipe(upstream);
      const perTick = BYTES_PER_SECOND / 100;
      const pump = setInterval(() => {
        let allowance = perTick;
        while (allowance > 0) {
          const size = Math.min(allowance, upstream.readableLength);
          if (size <= 0) {
            upstream.read(0); // ask the socket for more, up to the small high-water mark
            break;
          }
          const chunk = upstream.read(size);
          if (chunk === null) break;
          client.write(chunk);
          allowance -= chunk.length;
        }
      }, 10);
      const end = () => {
        clearInterval(pump);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function run(mode) {
  const shim = createServer({ maxBackpressureBytes: 256 * 1024 * 1024, logger: { ...console, debug() {}, info() {} } });
  const shimPort = await shim.listen(0, '127.0.0.1');
  const proxy = await throttlingProxy(shimPort);
  const latest = new Map(); // key → { n, sentAt }
  let frames = 0;
  let bytes = 0;
  let framesBeforeReady = 2; // hello, subscribed
  const wire = await connectWire({
    port: proxy.address().port,
    protocol: 'wirestore.v1.json',
    wantPayload: true,
    onFrame(opcode, payload) {
      if (opcode !== 1) return;
      if (framesBeforeReady > 0) return void framesBeforeReady--;
      frames++;
      bytes += payload.length + 2;
      const frame = JSON.parse(payload);
      if (frame.event === 'move') latest.set(frame.data.key, frame.data);
      // Acknowledge each coalesced batch, as the SDK does.
      if (frame.type === 'coalesced') wire.sendText(JSON.stringify({ type: 'ack', batch: frame.batch }));
    },
  });
  wire.sendText(JSON.stringify({ type: 'subscribe', ref: 1, topic: 'cursors' }));
  while (framesBeforeReady > 0) await new Promise((resolve) => setTimeout(resolve, 5));

  const final = new Map();
  const ages = [];
  const started = Date.now();
  let n = 0;
  let queuedBytes = 0;
  let queuedFrames = 0;
  // Production: every 10 ms, each key moves UPDATES_PER_KEY_PER_SECOND / 100 times.
  const perTick = UPDATES_PER_KEY_PER_SECOND / 100;
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      for (let k = 0; k < KEYS; k++) {
        for (let i = 0; i < perTick; i++) {
          const data = { key: `user${k}`, x: n % 1000, y: (n * 7) % 1000, n: n++, sentAt: Date.now() };
          final.set(data.key, data.n);
          if (mode === 'plain') {
            shim.publish('cursors', 'move', data, { seq: false });
            queuedBytes += Buffer.byteLength(JSON.stringify({ topic: 'cursors', event: 'move', data })) + 2;
            queuedFrames++;
          } else shim.publishCoalesced({ key: data.key, topic: 'cursors', event: 'move', data });
        }
      }
      if (Date.now() - started >= PRODUCE_MS) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
    // The age of the newest values the consumer holds, sampled while updates flow.
    const sampler = setInterval(() => {
      if (Date.now() - started >= PRODUCE_MS) return clearInterval(sampler);
      if (latest.size === 0) return;
      const now = Date.now();
      const sorted = [...latest.values()].map((data) => now - data.sentAt).sort((a, b) => a - b);
      ages.push(sorted[sorted.length >> 1]);
    }, 100);
  });
  const producedAt = Date.now();
  // Plain publish would take minutes to drain through this link: its cost is what it queued.
  const deadline = producedAt + (mode === 'plain' ? 0 : DRAIN_TIMEOUT_MS);
  while (Date.now() < deadline && [...final].some(([key, last]) => latest.get(key)?.n !== last)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const converged = [...final].every(([key, last]) => latest.get(key)?.n === last);
  wire.close();
  proxy.close();
  await shim.close();
  ages.sort((a, b) => a - b);
  const wire_ = mode === 'plain' ? { frames: queuedFrames, bytes: queuedBytes } : { frames, bytes };
  return {
    ...wire_,
    produced: n,
    converged: mode === 'plain' || converged,
    drainMs: Date.now() - producedAt,
    medianAgeMs: ages[ages.length >> 1] ?? 0,
  };
}

const plain = await run('plain');
const coalesced = await run('coalesced');
const line = (bench, unit, value, baseline) =>
  console.log(JSON.stringify({ bench, value, unit, baseline, ratio: Number((value / baseline).toFixed(4)) }));
line('slow_consumer_bytes', 'bytes', coalesced.bytes, plain.bytes);
line('slow_consumer_frames', 'frames', coalesced.frames, plain.frames);
line('slow_consumer_median_age_of_newest', 'ms', coalesced.medianAgeMs, plain.medianAgeMs);
console.log(JSON.stringify({ bench: 'slow_consumer_coalesced_time_to_latest_after_stop', value: coalesced.drainMs, unit: 'ms' }));
if (!plain.converged || !coalesced.converged)
  console.error('warning: a run did not converge within the drain timeout', { plain, coalesced });
