// Sequential round trips over one connection: send a call frame, wait for the reply, repeat.
// Prints {p50Micros, p99Micros} as one JSON line.
import { connectWire } from './ws-wire.mjs';

const [port, kind, rounds, warmup, payloadBytes] = process.argv.slice(2).map((v, i) => (i === 1 ? v : Number(v)));
const frame = JSON.stringify({ type: 'call', id: 1, path: 'echo', args: ['x'.repeat(payloadBytes)] });

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

const samples = new Float64Array(rounds);
for (let i = 0; i < warmup + rounds; i++) {
  const startedAt = process.hrtime.bigint();
  await new Promise((resolve) => {
    onReply = resolve;
    wire.sendText(frame);
  });
  if (i >= warmup) samples[i - warmup] = Number(process.hrtime.bigint() - startedAt) / 1000;
}
samples.sort();
const at = (q) => samples[Math.min(rounds - 1, Math.floor(q * rounds))];
console.log(JSON.stringify({ p50Micros: at(0.5), p99Micros: at(0.99) }));
wire.close();
