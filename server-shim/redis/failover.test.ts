import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient as createRedisClient } from '@redis/client';
import { afterAll, expect, it } from 'vitest';
import type { EventEnvelope } from '../../protocol/frames';
import type { StreamStore } from '../../sdk/index';
import { Balancer } from '../../test-support/balancer';
import { RedisServerUnderTest } from '../../test-support/redis-server';
import { untilAsync } from '../../test-support/until';
import { connectClient, closeAll, waitFor } from '../test-support/harness';

// The cluster under failure: 3 shim processes (the built package, as users run it) on one Redis,
// behind a loopback load-spreading proxy; 300 clients over 30 rooms with continuous keyed writes.
// One process is killed under load, then Redis restarts without its data.

const CLIENTS = 300;
const ROOMS = 30;
/** Clients connected straight to the process that dies, which do not come back: their users must leave. */
const LOST = 10;
const root = fileURLToPath(new URL('../..', import.meta.url));

interface Item {
  id: string;
}
interface Member {
  user: string;
  room: string;
  client: ReturnType<typeof connectClient>;
  items: StreamStore<Item[]>;
  presence: StreamStore<Array<Record<string, unknown> & { key: string }>>;
  seqs: number[];
  syncs: string[];
}

const engineRedis = new RedisServerUnderTest();
const databaseRedis = new RedisServerUnderTest();
const nodes: ChildProcess[] = [];
afterAll(async () => {
  await closeAll();
  for (const node of nodes) node.kill('SIGKILL');
  await Promise.all([engineRedis.stop(), databaseRedis.stop()]);
});

function startNode(): Promise<{ process: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [`${root}test-support/cluster-node.mjs`, engineRedis.url, databaseRedis.url, 'failover:'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  nodes.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const port = /listening (\d+)/.exec(String(chunk))?.[1];
      if (port) resolve({ process: child, port: Number(port) });
    });
    child.once('exit', (code) => reject(new Error(`a shim process exited with ${code}`)));
  });
}

function join(url: string, index: number, options: { reconnect?: boolean } = {}): Member {
  const user = `u${index}`;
  const room = `room${index % ROOMS}`;
  const client = connectClient(`${url}?user=${user}`, options.reconnect === false ? { reconnect: { baseMs: 60_000, capMs: 60_000 } } : {});
  const items = client.stream<Item[]>('items/list', room);
  // Outside a browser each call makes a new store: keep the one subscribed.
  const presence = client.presence(room);
  const member: Member = { user, room, client, items, presence, seqs: [], syncs: [] };
  items.lastSync.listen((outcome) => member.syncs.push(String(outcome)));
  items.listen(() => {});
  client.subscribe(room, (event: EventEnvelope) => member.seqs.push(event.seq!));
  presence.listen(() => {});
  return member;
}

const contiguous = (seqs: number[]) => seqs.every((seq, i) => i === 0 || seq === seqs[i - 1]! + 1);

it('kill a process under load: every client resumes on another with no gap or duplicate, each acknowledged write lands once, presence converges; a Redis restart makes every client reload', async () => {
  expect(existsSync(`${root}dist/redis.js`), 'the failover test runs the built package: npm run build').toBe(true);
  await Promise.all([engineRedis.start(), databaseRedis.start()]);
  const started = await Promise.all([startNode(), startNode(), startNode()]);
  const balancer = new Balancer(started.map((node) => node.port));
  const url = `ws://127.0.0.1:${await balancer.listen()}/ws`;
  const members = Array.from({ length: CLIENTS }, (_, i) => join(url, i));
  const victim = started[0]!;
  const lost = Array.from({ length: LOST }, (_, i) => join(`ws://127.0.0.1:${victim.port}/ws`, CLIENTS + i, { reconnect: false }));
  await waitFor(() => [...members, ...lost].every((member) => member.items.status.get() === 'live'), 30_000);

  // Continuous keyed writes from random clients, bounded in number; each acknowledged id is kept.
  const acknowledged: Array<{ room: string; id: string }> = [];
  let writing = true;
  let written = 0;
  const writer = (async () => {
    while (writing && written < 3_000) {
      const batch = Array.from({ length: 5 }, () => members[Math.floor(Math.random() * members.length)]!);
      await Promise.all(
        batch.map(async (member) => {
          const id = `${member.user}:${written++}`;
          await member.client
            .call('items/add', member.room, { id })
            .then(() => acknowledged.push({ room: member.room, id }))
            .catch(() => {}); // unacknowledged: may or may not have landed, at most once
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 10)); // paces the load
    }
  })();
  await waitFor(() => acknowledged.length >= 200, 20_000);

  victim.process.kill('SIGKILL');
  const killedAt = Date.now();
  for (const member of lost) member.client.close();
  await waitFor(() => acknowledged.length >= 600, 30_000);
  writing = false;
  await writer;

  // Every store equals the database, every listener saw contiguous seqs, every write landed once.
  const database = createRedisClient({ url: databaseRedis.url });
  database.on('error', () => {}); // Redis stops at the end of the file
  await database.connect();
  const truth = new Map<string, string>();
  const ids = (member: Member) =>
    (member.items.get() ?? [])
      .map((item) => item.id)
      .sort()
      .join();
  // Calls cut short by the kill are resent and run again elsewhere once their lease ends (10 s).
  await untilAsync(async () => {
    for (let room = 0; room < ROOMS; room++) truth.set(`room${room}`, (await database.hKeys(`items:room${room}`)).sort().join());
    return members.every((member) => ids(member) === truth.get(member.room));
  }, 30_000);
  for (const member of members) expect(contiguous(member.seqs), `${member.user} saw ${member.seqs.join()}`).toBe(true);
  for (const { room, id } of acknowledged) expect(truth.get(room)!.split(',')).toContain(id);
  // Exactly once: each store holds every id once, and the events carried no duplicate (contiguous seqs above).
  for (const member of members) expect(new Set(ids(member).split(',')).size).toBe(ids(member).split(',').length);
  const moved = members.filter((member) => member.syncs.includes('recovered'));
  expect(moved.length).toBeGreaterThan(CLIENTS / 6); // the victim's clients resumed elsewhere
  expect(members.every((member) => !member.syncs.includes('reloaded'))).toBe(true);

  // Presence: everyone still connected is listed once, the lost clients' users left, within 15 s.
  const expected = (room: string) =>
    members
      .filter((member) => member.room === room)
      .map((member) => member.user)
      .sort()
      .join();
  const listed = (member: Member) =>
    (member.presence.get() ?? [])
      .map((entry) => String(entry.name))
      .sort()
      .join();
  await waitFor(() => members.every((member) => listed(member) === expected(member.room)), 20_000);
  const presenceConvergedMs = Date.now() - killedAt;

  expect(presenceConvergedMs).toBeLessThan(15_000);

  // Redis restarts without persistence: every topic's epoch rotates; clients reload, none recovers.
  for (const member of members) member.syncs.length = 0;
  await engineRedis.restart();
  const survivor = members[1]!;
  await waitFor(() => members.every((member) => member.syncs.includes('reloaded')), 30_000);
  await survivor.client.call('items/add', survivor.room, { id: 'after-restart' });
  await waitFor(() => members.every((member) => member.room !== survivor.room || ids(member).includes('after-restart')), 10_000);
  expect(members.filter((member) => member.syncs.includes('recovered'))).toEqual([]);
  database.destroy();
  await balancer.close();
  if (process.env.FAILOVER_REPORT) {
    console.info(
      JSON.stringify({
        acknowledged: acknowledged.length,
        resumedElsewhere: moved.length,
        presenceConvergedMs,
        reloadedAfterRedisRestart: CLIENTS,
      }),
    );
  }
}, 180_000);
