// `npm run bench`: the wirestore shim against a raw uWS app doing the same job, in the same run.
// Prints one JSON line per result: {bench, value, unit, baseline, ratio} with ratio = shim / raw.
// Every process is pinned with taskset: for fan-out the server gets core 0 and the receivers
// core 1; for round trips both share core 0 (a wake-up across cores costs ~100 µs here, which
// would drown the difference being measured). All traffic stays on 127.0.0.1; every loop is bounded.
import { compare, fanout, nextMessage, report, startNode } from './harness.mjs';

export const FANOUT = [
  { subscribers: 100, messagesPerSubscriber: 20_000 },
  { subscribers: 1000, messagesPerSubscriber: 3_000 },
];
const RTT = { rounds: 20_000, warmup: 2_000, payloadBytes: 64 };

async function roundTrip(kind) {
  const server = startNode('0', 'servers.mjs', [kind]);
  try {
    const { port } = await nextMessage(server, (m) => m.port);
    const client = startNode('0', 'rtt-client.mjs', [port, kind, RTT.rounds, RTT.warmup, RTT.payloadBytes], { ipc: false });
    let output = '';
    client.stdout.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => client.on('exit', resolve));
    if (code !== 0) throw new Error(`rtt client (${kind}) exited with ${code}`);
    return JSON.parse(output.trim().split('\n').at(-1));
  } finally {
    server.kill();
  }
}

const only = process.env.BENCH_ONLY; // 'fanout' or 'rtt' to run one group
if (!only || only === 'fanout') {
  for (const setup of FANOUT) {
    const pick = await compare((kind) => fanout(kind, setup));
    report(
      `fanout_${setup.subscribers}_delivered`,
      'msg/s',
      pick((s) => s.rate),
    );
    report(
      `fanout_${setup.subscribers}_server_cpu_per_delivery`,
      'ns',
      pick((s) => s.cpuNsPerDelivery),
      { digits: 1 },
    );
  }
  // The same 1000-subscriber fan-out with presence tracked and pressure sampled 10× a second.
  const withServices = await compare((kind) => fanout(kind === 'shim' ? 'shim-presence' : kind, FANOUT[1]));
  report(
    'fanout_1000_with_presence_and_pressure_delivered',
    'msg/s',
    withServices((s) => s.rate),
  );
  report(
    'fanout_1000_with_presence_and_pressure_server_cpu_per_delivery',
    'ns',
    withServices((s) => s.cpuNsPerDelivery),
    { digits: 1 },
  );
}
if (!only || only === 'rtt') {
  // Two baselines: a raw uWS echo (the bytes go straight back), and a raw uWS handler that does
  // the least any JSON RPC server does (JSON.parse the call, JSON.stringify the reply).
  const rtt = await compare(roundTrip, ['raw', 'raw-json', 'shim']);
  report(
    'rpc_round_trip_p50',
    'µs',
    rtt((s) => s.p50Micros),
    { digits: 1 },
  );
  report(
    'rpc_round_trip_p99',
    'µs',
    rtt((s) => s.p99Micros),
    { digits: 1 },
  );
  report(
    'rpc_round_trip_p50_vs_raw_json',
    'µs',
    rtt((s) => s.p50Micros),
    { baseline: 'raw-json', digits: 1 },
  );
  report(
    'rpc_round_trip_p99_vs_raw_json',
    'µs',
    rtt((s) => s.p99Micros),
    { baseline: 'raw-json', digits: 1 },
  );
}
