// `npm run bench`: the wirestore shim against a raw uWS app doing the same job, in the same run.
// Prints one JSON line per result: {bench, value, unit, baseline, ratio} with ratio = shim / raw.
// Every process is pinned with taskset: for fan-out the server gets core 0 and the receivers
// core 1; for round trips both share core 0 (a wake-up across cores costs ~100 µs here, which
// would drown the difference being measured). All traffic stays on 127.0.0.1; every loop is bounded.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FANOUT = [
  { subscribers: 100, messagesPerSubscriber: 20_000 },
  { subscribers: 1000, messagesPerSubscriber: 3_000 },
];
const RTT = { rounds: 20_000, warmup: 2_000, payloadBytes: 64 };

function startNode(cpu, file, args, { ipc = true } = {}) {
  return spawn('taskset', ['-c', cpu, process.execPath, here(file), ...args.map(String)], {
    stdio: ['ignore', ipc ? 'inherit' : 'pipe', 'inherit', ...(ipc ? ['ipc'] : [])],
  });
}

function nextMessage(child, accept, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message) => {
      if (!accept(message)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
  });
}

async function fanout(kind, { subscribers, messagesPerSubscriber }) {
  const server = startNode('0', 'servers.mjs', [kind]);
  const receivers = [];
  try {
    const { port } = await nextMessage(server, (m) => m.port);
    const receiver = startNode('1', 'receivers.mjs', [port, kind, subscribers, messagesPerSubscriber]);
    receivers.push(receiver);
    await nextMessage(receiver, (m) => m.ready);
    const finished = nextMessage(receiver, (m) => 'done' in m, 60_000);
    server.send({ cmd: 'publish', count: messagesPerSubscriber, batch: 20 });
    const result = await finished;
    server.send({ cmd: 'cpu' });
    const { cpuMicros } = await nextMessage(server, (m) => m.cpuMicros !== undefined);
    if (!result.done) throw new Error(`${kind}: only ${result.count} of ${subscribers * messagesPerSubscriber} deliveries arrived`);
    return { rate: result.count / (result.elapsedMs / 1000), cpuNsPerDelivery: (cpuMicros * 1000) / result.count };
  } finally {
    server.kill();
    for (const receiver of receivers) receiver.kill();
  }
}

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

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs `measure` RUNS times per kind, interleaving the kinds so drift hits all alike. */
async function compare(measure, kinds = ['raw', 'shim']) {
  const samples = Object.fromEntries(kinds.map((kind) => [kind, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const kind of kinds) samples[kind].push(await measure(kind));
  }
  return (pick) => Object.fromEntries(kinds.map((kind) => [kind, median(samples[kind].map(pick))]));
}

function report(bench, unit, values, { baseline = 'raw', digits = 0 } = {}) {
  const round = (value) => Number(value.toFixed(digits));
  const shim = values.shim;
  const raw = values[baseline];
  console.log(JSON.stringify({ bench, value: round(shim), unit, baseline: round(raw), ratio: Number((shim / raw).toFixed(3)) }));
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
