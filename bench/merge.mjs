// Merge throughput per strategy at 1k, 10k and 100k items, in events per second.
// - `*_apply`: the merge alone (keyed update, insert, delete). ratio = rate at N / rate at 1k:
//   1.0 means a keyed operation costs the same however large the store.
// - `*_pass`: as the live store runs, passes of 100 events each followed by the view (the value
//   subscribers get). ratio against a naive store that scans and copies the array per event.
// Every measurement runs whole passes for at least MIN_MS, and at most MAX_PASSES passes.
import { mergerFor } from '../dist/index.js';

const SIZES = [1_000, 10_000, 100_000];
const PASS = 100;
const MIN_MS = 250;
const MAX_PASSES = 50_000;

const rows = (n) => Array.from({ length: n }, (_, i) => ({ id: i, key: `user ${i}`, text: `item ${i}` }));

/** Events/s of `applyEvent(event, data)` over passes of PASS events, `afterPass()` after each. */
function eventsPerSecond(makeEvent, applyEvent, afterPass = () => {}) {
  let applied = 0;
  let passes = 0;
  const started = performance.now();
  while ((performance.now() - started < MIN_MS || passes < 3) && passes < MAX_PASSES) {
    for (let i = 0; i < PASS; i++) {
      const [event, data] = makeEvent(applied++);
      applyEvent(event, data);
    }
    afterPass();
    passes++;
  }
  return applied / ((performance.now() - started) / 1000);
}

/** The merger, with `view` after each pass if asked. */
function run(merger, state, makeEvent, withView) {
  return eventsPerSecond(makeEvent, (event, data) => merger.apply(state, event, data), withView ? () => merger.view(state) : undefined);
}

/** A store without keys: findIndex per event and a fresh array per event. */
function runNaive(initial, makeEvent, keyField) {
  let list = initial.slice();
  return eventsPerSecond(makeEvent, (event, data) => {
    const index = list.findIndex((item) => item[keyField] === data[keyField]);
    if (event === 'deleted' || event === 'leave') list = index === -1 ? list : list.filter((_, j) => j !== index);
    else if (index === -1) list = [...list, data];
    else list = list.map((item, j) => (j === index ? data : item));
  });
}

/**
 * A store like svelte-realtime's published ones, measured per event (one notification, so one
 * new array, per event): a key → index map over an array; delete swaps the last item into the
 * hole (order is not kept); every event hands out a copy.
 */
function runSwapRemovePerEvent(initial, makeEvent, keyField) {
  const list = initial.slice();
  const index = new Map(list.map((item, i) => [item[keyField], i]));
  return eventsPerSecond(makeEvent, (event, data) => {
    const key = data[keyField];
    const at = index.get(key);
    if (event === 'deleted') {
      if (at === undefined) return;
      const last = list.pop();
      index.delete(key);
      if (at < list.length) {
        list[at] = last;
        index.set(last[keyField], at);
      }
    } else if (at === undefined) index.set(key, list.push(data) - 1);
    else list[at] = data;
    list.slice(); // the array subscribers get
  });
}

// Keys are spread over the whole store (7919 is prime) so no cache favours small sizes.
const scenarios = [
  {
    name: 'crud_update',
    config: { strategy: 'crud', key: 'id' },
    key: 'id',
    event: (n) => (i) => ['updated', { id: (i * 7919) % n, text: `edit ${i}` }],
  },
  {
    name: 'crud_insert',
    config: { strategy: 'crud', key: 'id' },
    key: 'id',
    event: (n) => (i) => ['created', { id: n + i, text: `new ${i}` }],
  },
  {
    name: 'crud_delete',
    config: { strategy: 'crud', key: 'id' },
    key: 'id',
    // Delete, then put back, so the store keeps its size while deleting all along.
    event: (n) => (i) => (i % 2 === 0 ? ['deleted', { id: (i * 7919) % n }] : ['created', { id: ((i - 1) * 7919) % n, text: 'back' }]),
  },
  {
    name: 'presence_join',
    config: { strategy: 'presence' },
    key: 'key',
    event: (n) => (i) => ['join', { key: `user ${(i * 7919) % n}`, seen: i }],
  },
  {
    name: 'cursor_update',
    config: { strategy: 'cursor' },
    key: 'key',
    event: (n) => (i) => ['update', { key: `user ${(i * 7919) % n}`, x: i, y: i }],
  },
  { name: 'latest', config: { strategy: 'latest', max: 0 }, key: 'id', event: () => (i) => ['message', { id: i }] },
];

const line = (bench, value, baseline) =>
  console.log(
    JSON.stringify({
      bench,
      value: Math.round(value),
      unit: 'events/s',
      baseline: Math.round(baseline),
      ratio: Number((value / baseline).toFixed(3)),
    }),
  );

// Per event, as a store notifying on every event runs: the view after each one. Against the
// swap-remove store above (which gives up order to go faster; ours keeps it).
for (const scenario of scenarios.filter(({ name }) => name === 'crud_update' || name === 'crud_delete')) {
  for (const n of SIZES) {
    const ours = () => {
      const merger = mergerFor(scenario.config);
      const state = merger.init(rows(n));
      return eventsPerSecond(scenario.event(n), (event, data) => {
        merger.apply(state, event, data);
        merger.view(state);
      });
    };
    const swapRemove = () => runSwapRemovePerEvent(rows(n), scenario.event(n), scenario.key);
    // Each side once untimed first: the JIT has tuned both before either is measured.
    ours();
    swapRemove();
    line(`merge_${scenario.name}_${n}_per_event_vs_swap_remove`, ours(), swapRemove());
  }
}

for (const scenario of scenarios) {
  let applyAt1k;
  for (const n of SIZES) {
    const config = scenario.config.strategy === 'latest' ? { ...scenario.config, max: n } : scenario.config;
    const fresh = () => {
      const merger = mergerFor(config);
      return [merger, merger.init(rows(n))];
    };
    const apply = run(...fresh(), scenario.event(n), false);
    applyAt1k ??= apply;
    line(`merge_${scenario.name}_${n}_apply`, apply, applyAt1k);
    const pass = run(...fresh(), scenario.event(n), true);
    if (scenario.name !== 'latest' && n <= 10_000)
      line(`merge_${scenario.name}_${n}_pass_vs_naive`, pass, runNaive(rows(n), scenario.event(n), scenario.key));
    else line(`merge_${scenario.name}_${n}_pass`, pass, apply);
  }
}
