// `devtools_recording_rate`: events per second through a stream store on a client that the
// devtools record (every frame kept, the timeline derived), against the same client without, in
// the same run. ratio = recorded / plain; the goal is ≥ 0.95. Node, a real shim on 127.0.0.1,
// the development build (NODE_ENV is not 'production', so the recorder loads). Bounded: ROUNDS
// runs of EVENTS events per side, alternating; the ratio is the median of the rounds' ratios.
import WebSocket from 'ws';
import { createClient } from '../dist/index.js';
import { createServer, stream } from '../dist/server.js';

const EVENTS = 50_000;
const ROUNDS = 11;
const BATCH = 200;

// A `latest` store of 50: the store's own cost stays flat, so the recording is what differs.
const server = createServer({ api: { feed: stream('feed', () => [], { merge: 'latest', max: 50 }) } });
const port = await server.listen(0, '127.0.0.1');
let nextId = 0;
let recorders = 0;

async function eventsPerSecond(devtools) {
  const client = createClient({ url: `ws://127.0.0.1:${port}/ws`, WebSocket, devtools });
  const feed = client.stream('feed');
  let lastId = -1;
  let reached;
  const stop = feed.subscribe((value) => value?.at(-1)?.id === lastId && reached?.());
  await new Promise((resolve) => {
    const check = feed.status.subscribe((status) => status === 'live' && resolve(check && undefined));
  });
  const startedAt = performance.now();
  lastId = nextId + EVENTS;
  const done = new Promise((resolve) => (reached = resolve));
  for (let sent = 0; sent < EVENTS; sent += BATCH) {
    for (let i = 0; i < BATCH; i++) server.publish('feed', 'created', { id: ++nextId, text: `event ${nextId}` });
    await new Promise((resolve) => setImmediate(resolve)); // let the socket drain between batches
  }
  await done;
  const rate = EVENTS / ((performance.now() - startedAt) / 1000);
  if (devtools) {
    // Proof that it recorded: the last client's frames ring is full of this run's events.
    const recorded = globalThis.__wirestore__?.export(recorders++)?.frames.length ?? 0;
    if (recorded < 400) throw new Error(`the devtools recorded ${recorded} frames: the measurement would be of nothing`);
  }
  stop();
  client.close();
  return rate;
}

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const plain = [];
const recorded = [];
await eventsPerSecond(false); // warm-up, untimed
await eventsPerSecond(true);
for (let round = 0; round < ROUNDS; round++) {
  plain.push(await eventsPerSecond(false));
  recorded.push(await eventsPerSecond(true));
}
const value = median([...recorded]);
const baseline = median([...plain]);
// Rounds alternate, so each recorded round is paired with the plain round before it: the median
// of the pairs' ratios cancels the machine's drift (another process, a CPU frequency change)
// that a ratio of two medians would keep.
const ratio = median(recorded.map((rate, round) => rate / plain[round]));
console.log(
  JSON.stringify({
    bench: 'devtools_recording_rate',
    value: Math.round(value),
    unit: 'events/s',
    baseline: Math.round(baseline),
    ratio: Number(ratio.toFixed(3)),
  }),
);
await server.close({ drainTimeoutMs: 100 });
process.exit(0);
