import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventEnvelope } from '../protocol/frames';
import { TcpProxy } from '../test-support/tcp-proxy';
import type { Context } from './context';
import { closeAll, connectClient, rawSocket, startServer, track, waitFor } from './test-support/harness';

afterEach(closeAll);

type Frame = { type?: string; id?: number; ref?: number; topic?: string; reason?: string; error?: { code: string }; sender?: string };

/** The HTTP status of an upgrade attempt (101 when it was accepted). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'wirestore.v1.json', { headers });
    socket.once('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => {});
  });
}

describe('cross-site WebSocket hijacking', () => {
  it('refuses a page of another origin with 403, before authenticate runs', async () => {
    let authenticated = 0;
    const server = await startServer({ authenticate: () => ++authenticated && { id: 'alice' } });
    const host = `127.0.0.1:${server.port}`;
    expect(await upgradeStatus(server.url, { Origin: 'https://evil.example' })).toBe(403);
    expect(authenticated).toBe(0);
    expect(await upgradeStatus(server.url, { Origin: `http://${host}` })).toBe(101); // same origin
    expect(await upgradeStatus(server.url, {})).toBe(101); // no Origin: not a browser acting for a visitor
  });

  it('lets an app list its origins, or decide with a function', async () => {
    const listed = await startServer({ allowedOrigins: ['https://app.example'] });
    expect(await upgradeStatus(listed.url, { Origin: 'https://app.example' })).toBe(101);
    expect(await upgradeStatus(listed.url, { Origin: `http://127.0.0.1:${listed.port}` })).toBe(403);
    const decided = await startServer({ allowedOrigins: (origin) => origin.endsWith('.example') });
    expect(await upgradeStatus(decided.url, { Origin: 'https://b.example' })).toBe(101);
    expect(await upgradeStatus(decided.url, { Origin: 'https://example.evil' })).toBe(403);
  });
});

describe('every client action is limited like calls', () => {
  it('denies subscribes over the limit with RATE_LIMITED, and never runs their access hooks or loaders', async () => {
    let checks = 0;
    const server = await startServer({
      canSubscribe: () => ++checks > 0,
      rateLimit: { subscribes: { perSecond: 1, burst: 5 } },
    });
    const socket = await rawSocket(server.url);
    for (let ref = 0; ref < 20; ref++) socket.send(JSON.stringify({ type: 'subscribe', ref, topic: `t${ref}` }));
    await waitFor(() => socket.frames.filter((frame) => (frame as Frame).ref !== undefined).length === 20);
    const denied = socket.frames.filter((frame) => (frame as Frame).type === 'denied') as Frame[];
    expect(denied).toHaveLength(15);
    expect(denied[0]).toMatchObject({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/^too many subscribes/) } });
    expect(checks).toBe(5);
  });

  it('limits client publishes and pings, and closes a flood with 4429', async () => {
    const server = await startServer({
      canPublish: () => true,
      rateLimit: { publishes: { perSecond: 1, burst: 2 }, pings: { perSecond: 1, burst: 2 }, closeAfterRejections: 50 },
    });
    const socket = await rawSocket(server.url);
    for (let i = 0; i < 4; i++) socket.send(JSON.stringify({ type: 'ping' }));
    for (let i = 0; i < 3; i++) socket.send(JSON.stringify({ type: 'publish', topic: 'room', event: 'e', data: i }));
    await waitFor(() => socket.frames.some((frame) => (frame as Frame).error?.code === 'RATE_LIMITED'));
    expect(socket.frames.filter((frame) => (frame as Frame).type === 'pong')).toHaveLength(2);
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    for (let i = 0; i < 100; i++) socket.send(JSON.stringify({ type: 'ping' }));
    expect(await closed).toBe(4429);
  });

  it('lets a reconnecting client resubscribe everything it held at once', async () => {
    const server = await startServer();
    const proxy = track(new TcpProxy(server.port!));
    await proxy.listen();
    const client = connectClient(`ws://127.0.0.1:${proxy.port}/ws`);
    let acks = 0;
    const denials: unknown[] = [];
    for (let i = 0; i < 300; i++)
      client.subscribe(`t${i}`, () => {}, { onSubscribed: () => acks++, onDenied: (denial) => denials.push(denial.error) });
    await waitFor(() => acks === 300);
    proxy.cutAll();
    await waitFor(() => acks === 600, 10_000); // all 300 again, on the new connection
    expect(denials).toEqual([]);
  });

  it('caps the subscriptions one connection holds', async () => {
    const server = await startServer({ maxSubscriptionsPerConnection: 3, rateLimit: { subscribes: false } });
    const socket = await rawSocket(server.url);
    for (let ref = 0; ref < 5; ref++) socket.send(JSON.stringify({ type: 'subscribe', ref, topic: `t${ref}` }));
    await waitFor(() => socket.frames.filter((frame) => (frame as Frame).ref !== undefined).length === 5);
    expect(socket.frames.filter((frame) => (frame as Frame).type === 'subscribed')).toHaveLength(3);
    expect(server.memory.topics).toBe(3);
  });
});

describe('identity and access', () => {
  it('keeps the exactly-once windows of users without an id apart', async () => {
    let runs = 0;
    const server = await startServer({ api: { write: (_ctx: Context, who: string) => `${who} #${++runs}` } });
    const alice = connectClient(server.url);
    const mallory = connectClient(server.url);
    const key = 'guessed-or-leaked-key';
    expect(await alice.callWith({ idempotencyKey: key }, 'write', 'alice')).toBe('alice #1');
    // Same key from another client: its own window, so it runs (and learns nothing of alice's result).
    expect(await mallory.callWith({ idempotencyKey: key }, 'write', 'mallory')).toBe('mallory #2');
    // Alice's retry is still answered from her window: her write applies once.
    expect(await alice.callWith({ idempotencyKey: key }, 'write', 'alice')).toBe('alice #1');
  });

  it('ends a subscription from the server, and when canSubscribe changes its mind', async () => {
    const members = new Set(['alice', 'bob']);
    const server = await startServer<{ id: string }>({
      authenticate: (request) => ({ id: new URLSearchParams(request.query).get('user') ?? 'anon' }),
      canSubscribe: (ctx) => members.has(ctx.user.id) || 'members only',
    });
    const alice = connectClient(`${server.url}?user=alice`);
    const bob = connectClient(`${server.url}?user=bob`);
    const denials: Record<string, string[]> = { alice: [], bob: [] };
    const got: Record<string, EventEnvelope[]> = { alice: [], bob: [] };
    let subscribed = 0;
    for (const [name, client] of [
      ['alice', alice],
      ['bob', bob],
    ] as const) {
      client.subscribe('room', (event) => got[name]!.push(event), {
        onSubscribed: () => subscribed++,
        onDenied: (denial) => denials[name]!.push(`${denial.error.code}: ${denial.error.message}`),
      });
    }
    await waitFor(() => subscribed === 2);
    server.publish('room', 'hello', 1);
    await waitFor(() => got.alice!.length === 1 && got.bob!.length === 1);
    members.delete('bob');
    expect(await server.recheckSubscriptions()).toBe(1);
    const aliceId = (alice.status.get() as { connectionId: string }).connectionId;
    expect(server.unsubscribe(aliceId, 'room', 'the room closed')).toBe(true);
    await waitFor(() => denials.alice!.length === 1 && denials.bob!.length === 1);
    expect(denials).toEqual({ alice: ['FORBIDDEN: the room closed'], bob: ['FORBIDDEN: members only'] });
    server.publish('room', 'after', 2);
    // A round trip on each socket: anything published before its answer would have arrived first.
    await Promise.all([alice.call('ping').catch(() => {}), bob.call('ping').catch(() => {})]);
    expect([got.alice!.length, got.bob!.length]).toEqual([1, 1]);
  });

  it('stamps client publishes with a sender the client cannot forge', async () => {
    const server = await startServer<{ id: string }>({
      authenticate: (request) => ({ id: new URLSearchParams(request.query).get('user')! }),
      canPublish: () => true,
      presence: { topics: () => true },
    });
    const watcher = await rawSocket(`${server.url}?user=watcher`);
    watcher.send(JSON.stringify({ type: 'subscribe', ref: 1, topic: 'room' }));
    await waitFor(() => watcher.frames.some((frame) => (frame as Frame).ref === 1));
    const mallory = await rawSocket(`${server.url}?user=mallory`);
    mallory.send(JSON.stringify({ type: 'publish', topic: 'room', event: 'say', data: 'hi', sender: 'alice-key' }));
    const said = await waitFor(() => watcher.frames.find((frame) => (frame as { event?: string }).event === 'say') as Frame | undefined);
    expect(said.sender).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(said.sender).not.toBe('alice-key');
    expect(said.sender).not.toContain('mallory');
  });

  it('refuses static files reached through a symlink that leads outside the root', async () => {
    const base = mkdtempSync(join(tmpdir(), 'wirestore-static-'));
    mkdirSync(join(base, 'public'));
    writeFileSync(join(base, 'public', 'ok.txt'), 'fine');
    writeFileSync(join(base, 'secret.txt'), 'do not serve');
    symlinkSync(join(base, 'secret.txt'), join(base, 'public', 'leak.txt'));
    const server = await startServer({ static: join(base, 'public') });
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await (await fetch(`${origin}/ok.txt`)).text()).toBe('fine');
    const leak = await fetch(`${origin}/leak.txt`);
    expect(leak.status).toBe(404);
    expect(await leak.text()).not.toContain('do not serve');
  });
});
