// Sequential round trips over one connection: send a call frame, wait for the reply, repeat.
// Prints {p50Micros, p99Micros} as one JSON line.
import { connectWire } from './ws-wire.mjs';

const [port, kind, rounds, warmup, payloadBytes] = process.argv.slice(2).map((v, i) => (i === 1 ? v : Number(v)));
// Every call a real client makes carries an idempotency key (a UUID), so every frame here does:
// the shim then runs its exactly-once window on each call, as in production.
const argument = 'x'.repeat(payloadBytes);
const frameFor = (i) =>
  JSON.stringify({
    type: 'call',
    id: i,
    path: 'echo',
    args: [argument],
    key: `0b9d3c1e-5f0a-4e7b-9c1d-${i.toString(16).padStart(12, '0')}`,
  });

let onReply;
let handshakeFrames = kind === 'shim' ? 1 : 0; // the shim's hello
const wire = await connectWire({
  port,
  protocol: kind === 'shim' ? 'wirestore.v1.json' : undefined,
  onFrame(opcode) {
    if (opcode !== 1 && opcode !== 2) return;
    if (handshakeFrames > 0) return void handshakeFrames--;
    onReply();
  },
});
while (handshakeFrames > 0) await new Promise((resolve) => setTimeout(resolve, 5));

const frames = Array.from({ length: warmup + rounds }, (_, i) => frameFor(i)); // built before timing
const samples = new Float64Array(rounds);
for (let i = 0; i < warmup + rounds; i++) {
  const startedAt = process.hrtime.bigint();
  await new Promise((resolve) => {
    onReply = resolve;
    wire.sendText(frames[i]);
  });
  if (i >= warmup) samples[i - warmup] = Number(process.hrtime.bigint() - startedAt) / 1000;
}
samples.sort();
const at = (q) => samples[Math.min(rounds - 1, Math.floor(q * rounds))];
console.log(JSON.stringify({ p50Micros: at(0.5), p99Micros: at(0.99) }));
wire.close();
