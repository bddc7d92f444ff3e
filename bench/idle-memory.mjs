// `idle_connection_memory`: what one idle connection costs the server process (RSS growth per
// socket after a full GC), the shim against a raw uWS app holding the same sockets, in the same
// run. Each server runs in its own process; this process opens the sockets (bounded: SOCKETS per
// run) on 127.0.0.1, waits for each server's first frame, then asks the server for its memory.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const SOCKETS = Number(process.env.IDLE_SOCKETS ?? 8000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

const answer = (child, key) => new Promise((resolve) => child.once('message', (message) => key in message && resolve(message)));

async function perSocketBytes(kind) {
  const server = fork(here('idle-server.mjs'), [kind]);
  const sockets = [];
  try {
    const { port } = await answer(server, 'port');
    server.send({ cmd: 'memory' });
    const before = await answer(server, 'rss');
    for (let opened = 0; opened < SOCKETS; opened += 200) {
      const batch = Array.from({ length: Math.min(200, SOCKETS - opened) }, () => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, 'wirestore.v1.json');
        sockets.push(socket);
        return new Promise((resolve, reject) => {
          socket.once('message', resolve); // the server's first frame: the socket is fully set up
          socket.once('error', reject);
        });
      });
      await Promise.all(batch);
    }
    server.send({ cmd: 'memory' });
    const after = await answer(server, 'rss');
    if (process.env.IDLE_DEBUG) {
      const per = (field) => Math.round((after[field] - before[field]) / SOCKETS);
      console.error(kind, ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'].map((field) => `${field} ${per(field)}`).join(', '));
    }
    return (after.rss - before.rss) / SOCKETS;
  } finally {
    for (const socket of sockets) socket.terminate();
    server.kill();
  }
}

const kinds = ['raw', 'raw-upgrade', 'shim'];
const samples = Object.fromEntries(kinds.map((kind) => [kind, []]));
// Interleaved, so drift on this machine hits every kind alike.
for (let run = 0; run < RUNS; run++) for (const kind of kinds) samples[kind].push(await perSocketBytes(kind));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const shim = median(samples.shim);
const report = (bench, baseline) =>
  console.log(
    JSON.stringify({
      bench,
      value: Math.round(shim),
      unit: 'B/connection',
      baseline: Math.round(baseline),
      ratio: Number((shim / baseline).toFixed(3)),
    }),
  );
// Against a raw app that upgrades with a user-data object and says hello, as any app with auth does.
report('idle_connection_memory', median(samples['raw-upgrade']));
// Against uWS's bare default upgrade, for the record.
report('idle_connection_memory_vs_bare_uws', median(samples.raw));
