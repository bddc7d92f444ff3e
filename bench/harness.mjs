// What the benchmark scripts share: child processes pinned to a core, their IPC answers, the
// fan-out measurement, medians over interleaved runs, and the JSON line of each result.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

export function startNode(cpu, file, args, { ipc = true, env = process.env } = {}) {
  return spawn('taskset', ['-c', cpu, process.execPath, here(file), ...args.map(String)], {
    env,
    stdio: ['ignore', ipc ? 'inherit' : 'pipe', 'inherit', ...(ipc ? ['ipc'] : [])],
  });
}

export function nextMessage(child, accept, timeoutMs = 60_000) {
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

/**
 * One topic, `subscribers` receivers on core 1, the server (`kind` of servers.mjs) on core 0. With
 * `publisher` (a kind of servers.mjs), the events come from that process, also on core 0, instead
 * of the server itself: the server under test only fans out.
 */
export async function fanout(kind, { subscribers, messagesPerSubscriber, publisher: publisherKind }) {
  const server = startNode('0', 'servers.mjs', [kind]);
  const receivers = [];
  const publisher = publisherKind && startNode('0', 'servers.mjs', [publisherKind]);
  try {
    const { port } = await nextMessage(server, (m) => m.port);
    if (publisher) await nextMessage(publisher, (m) => m.port !== undefined);
    const receiver = startNode('1', 'receivers.mjs', [port, kind, subscribers, messagesPerSubscriber]);
    receivers.push(receiver);
    await nextMessage(receiver, (m) => m.ready);
    const finished = nextMessage(receiver, (m) => 'done' in m, 60_000);
    (publisher || server).send({ cmd: 'publish', count: messagesPerSubscriber, batch: 20 });
    const result = await finished;
    server.send({ cmd: 'cpu' });
    const { cpuMicros } = await nextMessage(server, (m) => m.cpuMicros !== undefined);
    if (!result.done) throw new Error(`${kind}: only ${result.count} of ${subscribers * messagesPerSubscriber} deliveries arrived`);
    return { rate: result.count / (result.elapsedMs / 1000), cpuNsPerDelivery: (cpuMicros * 1000) / result.count };
  } finally {
    server.kill();
    publisher?.kill();
    for (const receiver of receivers) receiver.kill();
  }
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs `measure` RUNS times per kind, interleaving the kinds so drift hits all alike. */
export async function compare(measure, kinds = ['raw', 'shim']) {
  const samples = Object.fromEntries(kinds.map((kind) => [kind, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const kind of kinds) samples[kind].push(await measure(kind));
  }
  return (pick) => Object.fromEntries(kinds.map((kind) => [kind, median(samples[kind].map(pick))]));
}

/** One JSON line: `values[value]` against `values[baseline]`, ratio = value / baseline. */
export function report(bench, unit, values, { value = 'shim', baseline = 'raw', digits = 0 } = {}) {
  const round = (number) => Number(number.toFixed(digits));
  const shim = values[value];
  const raw = values[baseline];
  console.log(JSON.stringify({ bench, value: round(shim), unit, baseline: round(raw), ratio: Number((shim / raw).toFixed(3)) }));
}
