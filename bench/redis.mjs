// The Redis engine against its baselines, in the same run (a redis-server of its own, on core 1):
// - redis_cluster_publish: sequenced publishes per second through a shim on the Redis engine
//   (`publishConfirmed`, 64 in flight) against the bare Lua publish script (`redisPublisher`),
//   with another shim process following the topic in both. Target ratio ≥ 0.8.
// - redis_fanout_1000_delivered: one topic, 1000 subscribers on one process, the Redis engine
//   against the memory engine. The events come through Redis from a publisher elsewhere in the
//   cluster, as most of an instance's events do. Target ratio ≥ 0.9. `_self_published`: the
//   instance publishes them all itself.
// - redis_resume_p50: a client that saw an event on process A resumes 10 events later on process
//   B (which never followed the topic): time from its subscribe to the `subscribed` reply. Against
//   resuming on the same process with the memory engine.
// JSON lines, medians of BENCH_RUNS runs; loopback only; every loop is bounded.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, fanout, median, nextMessage, report, startNode } from './harness.mjs';
import { connectWire } from './ws-wire.mjs';

const PUBLISHES = 20_000;
const RESUME_ROUNDS = 200;
let prefixes = 0;

async function startRedis() {
  const port = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'wirestore-bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const child = spawn('taskset', ['-c', process.env.REDIS_CPU ?? '1', 'redis-server', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('Ready to accept connections') && resolve());
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} (is it installed?)`)));
  });
  child.stdout.resume();
  return { url: `redis://127.0.0.1:${port}`, stop: () => (child.kill('SIGKILL'), rmSync(dir, { recursive: true, force: true })) };
}

/** A shim process of `kind` on core 0, and its port. */
async function shim(kind) {
  const child = startNode('0', 'servers.mjs', [kind]);
  const { port } = await nextMessage(child, (m) => m.port !== undefined);
  return { child, port };
}

/** A raw WebSocket that parses every frame and hands each `subscribed` reply to the waiter of its ref. */
async function wireTo(port) {
  const waiting = new Map();
  const wire = await connectWire({
    port,
    protocol: 'wirestore.v1.json',
    wantPayload: true,
    onFrame(opcode, payload) {
      if (opcode !== 1) return;
      const frame = JSON.parse(payload.toString());
      if (frame.type === 'subscribed') waiting.get(frame.ref)?.(frame);
    },
  });
  const subscribe = (frame) => new Promise((resolve) => (waiting.set(frame.ref, resolve), wire.sendText(JSON.stringify(frame))));
  return { subscribe, close: () => wire.close() };
}

async function publishRate(kind) {
  process.env.REDIS_PREFIX = `publish${++prefixes}:`;
  const topic = 'bench-publish';
  const follower = await shim('shim-redis');
  const watcher = await wireTo(follower.port);
  await watcher.subscribe({ type: 'subscribe', ref: 1, topic });
  const publisher = startNode('0', 'servers.mjs', [kind]);
  try {
    await nextMessage(publisher, (m) => m.port !== undefined);
    publisher.send({ cmd: 'publish-confirmed', topic, count: PUBLISHES, concurrency: 64 });
    const { confirmed, elapsedMs } = await nextMessage(publisher, (m) => m.confirmed !== undefined);
    return { rate: confirmed / (elapsedMs / 1000) };
  } finally {
    watcher.close();
    publisher.kill();
    follower.child.kill();
  }
}

async function resumeLatency(kind) {
  process.env.REDIS_PREFIX = `resume${++prefixes}:`;
  const a = await shim(kind);
  const b = kind === 'shim-redis' ? await shim(kind) : a; // memory: resuming on the same process
  const [onA, onB] = [await wireTo(a.port), await wireTo(b.port)];
  const micros = [];
  try {
    for (let round = 1; round <= RESUME_ROUNDS; round++) {
      const topic = `resume-${round}`; // a topic B never followed: the failover case
      const seen = await onA.subscribe({ type: 'subscribe', ref: round, topic });
      a.child.send({ cmd: 'publish-to', topic, count: 10 });
      await nextMessage(a.child, (m) => m.published !== undefined);
      const startedAt = process.hrtime.bigint();
      const reply = await onB.subscribe({ type: 'subscribe', ref: round, topic, resume: { epoch: seen.epoch, seq: seen.seq } });
      micros.push(Number(process.hrtime.bigint() - startedAt) / 1000);
      if (!reply.resumed || reply.replay?.length !== 10) throw new Error(`${kind}: round ${round} did not resume with 10 events`);
    }
    return { p50: median(micros) / 1000 };
  } finally {
    onA.close();
    onB.close();
    a.child.kill();
    if (b !== a) b.child.kill();
  }
}

const redis = await startRedis();
process.env.REDIS_URL = redis.url;
const only = process.env.BENCH_ONLY; // 'publish', 'fanout' or 'resume' to run one
try {
  if (!only || only === 'publish') {
    const publishes = await compare(publishRate, ['redis-publisher', 'shim-redis']);
    report(
      'redis_cluster_publish',
      'publish/s',
      publishes((s) => s.rate),
      { value: 'shim-redis', baseline: 'redis-publisher' },
    );
  }
  if (!only || only === 'fanout') {
    // Per instance: the events reach it through Redis from a publisher elsewhere in the cluster (a
    // worker's redisPublisher, on the same core as the server). The memory engine's server must
    // publish its events itself.
    const setup = { subscribers: 1000, messagesPerSubscriber: 3_000 };
    const delivered = await compare(
      (kind) => fanout(kind, { ...setup, publisher: kind === 'shim-redis' ? 'redis-publisher' : undefined }),
      ['shim', 'shim-redis'],
    );
    report(
      'redis_fanout_1000_delivered',
      'msg/s',
      delivered((s) => s.rate),
      { value: 'shim-redis', baseline: 'shim' },
    );
    // The same instance publishing every event itself: the publish's Redis work on top.
    const selfPublished = await compare((kind) => fanout(kind, setup), ['shim', 'shim-redis']);
    report(
      'redis_fanout_1000_delivered_self_published',
      'msg/s',
      selfPublished((s) => s.rate),
      { value: 'shim-redis', baseline: 'shim' },
    );
  }
  if (!only || only === 'resume') {
    const resumes = await compare(resumeLatency, ['shim', 'shim-redis']);
    report(
      'redis_resume_p50',
      'ms',
      resumes((s) => s.p50),
      { value: 'shim-redis', baseline: 'shim', digits: 3 },
    );
  }
} finally {
  redis.stop();
}
