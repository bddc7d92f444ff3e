import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../protocol/json-codec';
import type { WebSocketConstructor } from './connection';
import { SocketHub, type HubOutlet } from './socket-hub';
import type { Payload } from './tab-messages';

/** A stand-in for the real socket: records what the hub sends, and lets a test play the server. */
class FakeSocket {
  static last: FakeSocket;
  sent: Array<Record<string, unknown>> = [];
  binaryType = 'blob';
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: Payload }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  closedWith: number | undefined;
  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {
    FakeSocket.last = this;
  }
  send(payload: string) {
    this.sent.push(JSON.parse(payload) as Record<string, unknown>);
  }
  close(code: number) {
    this.closedWith = code;
  }
  serverSends(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

function hubWithLinks(...links: string[]) {
  const got: Record<string, Array<Record<string, unknown>>> = {};
  const closed: Record<string, number> = {};
  const out: HubOutlet = {
    opened: (link) => (got[link] ??= []),
    deliver: (to, payload) => to.forEach((link) => (got[link] ??= []).push(JSON.parse(payload as string) as Record<string, unknown>)),
    closed: (link, code) => (closed[link] = code),
  };
  const hub = new SocketHub(jsonCodec, FakeSocket as unknown as WebSocketConstructor, out);
  for (const link of links) hub.open(link, 'ws://h/ws', 'wirestore.v1.json');
  const socket = FakeSocket.last;
  socket.onopen?.();
  socket.serverSends({ type: 'hello', epoch: 'e', limits: {} });
  const send = (link: string, frame: unknown) => hub.send(link, JSON.stringify(frame));
  return { hub, socket, got, closed, send };
}

describe('SocketHub', () => {
  it('gives every link the server hello, sends one client hello, and renumbers calls so replies reach the right link', () => {
    const { socket, got, send } = hubWithLinks('a', 'b');
    expect(got.a).toEqual([expect.objectContaining({ type: 'hello' })]);
    send('a', { type: 'hello', instance: 'i' });
    send('b', { type: 'hello', instance: 'i' });
    send('a', { type: 'call', id: 1, path: 'x', args: [] });
    send('b', { type: 'call', id: 1, path: 'y', args: [] });
    expect(socket.sent.map((frame) => frame.type)).toEqual(['hello', 'call', 'call']);
    const [toA, toB] = socket.sent.slice(1).map((frame) => frame.id as number);
    expect(toA).not.toBe(toB);
    socket.serverSends({ type: 'result', id: toB, data: 'for b' });
    socket.serverSends({ type: 'error', id: toA, error: { code: 'NO', message: 'for a' } });
    expect(got.b!.at(-1)).toEqual({ type: 'result', id: 1, data: 'for b' });
    expect(got.a!.at(-1)).toEqual({ type: 'error', id: 1, error: { code: 'NO', message: 'for a' } });
  });

  it('routes events to the links on their topic, and unsubscribes only when no link is left on it', () => {
    const { socket, got, send, hub } = hubWithLinks('a', 'b');
    send('a', { type: 'subscribe', ref: 1, topic: 'todos/list', stream: true });
    send('b', { type: 'subscribe', ref: 1, topic: 'chat' });
    const [refA, refB] = socket.sent.map((frame) => frame.ref as number);
    socket.serverSends({ type: 'subscribed', ref: refA, topic: 'todos', epoch: 'e', seq: 0, resumed: false });
    socket.serverSends({ type: 'subscribed', ref: refB, topic: 'chat', epoch: 'e', seq: 0, resumed: false });
    expect(got.a!.at(-1)).toMatchObject({ type: 'subscribed', ref: 1, topic: 'todos' });
    socket.serverSends({ topic: 'todos', event: 'created', data: 1, seq: 1 });
    socket.serverSends({ topic: 'chat', event: 'said', data: 2, seq: 1 });
    expect(got.a!.at(-1)).toMatchObject({ topic: 'todos', seq: 1 });
    expect(got.b!.at(-1)).toMatchObject({ topic: 'chat', seq: 1 });

    send('b', { type: 'subscribe', ref: 2, topic: 'todos/list', stream: true });
    socket.serverSends({ type: 'subscribed', ref: socket.sent.at(-1)!.ref, topic: 'todos', epoch: 'e', seq: 1, resumed: true });
    send('a', { type: 'unsubscribe', topic: 'todos' });
    expect(socket.sent.at(-1)).toMatchObject({ type: 'subscribe' }); // b still needs it
    hub.close('b');
    expect(socket.sent.slice(-2)).toEqual(
      expect.arrayContaining([
        { type: 'unsubscribe', topic: 'todos' },
        { type: 'unsubscribe', topic: 'chat' },
      ]),
    );
  });

  it('acknowledges coalesced batches once, itself, and drops the links\u2019 acks', () => {
    const { socket, got, send } = hubWithLinks('a', 'b');
    socket.serverSends({ type: 'coalesced', batch: 7, superseded: {} });
    send('a', { type: 'ack', batch: 7 });
    send('b', { type: 'ack', batch: 7 });
    expect(socket.sent).toEqual([{ type: 'ack', batch: 7 }]);
    expect(got.a!.at(-1)).toMatchObject({ type: 'coalesced' });
    expect(got.b!.at(-1)).toMatchObject({ type: 'coalesced' });
  });

  it('sends a pong only to the links that pinged, once each', () => {
    const { socket, got, send } = hubWithLinks('a', 'b');
    send('a', { type: 'ping' });
    socket.serverSends({ type: 'pong' });
    socket.serverSends({ type: 'pong' });
    expect(got.a!.filter((frame) => frame.type === 'pong')).toHaveLength(1);
    expect(got.b!.filter((frame) => frame.type === 'pong')).toHaveLength(0);
  });

  it('closes every link as the real socket closed, and the real socket when the last link leaves', () => {
    const first = hubWithLinks('a', 'b');
    first.socket.onclose?.({ code: 4429, reason: 'slow down' });
    expect(first.closed).toEqual({ a: 4429, b: 4429 });
    const second = hubWithLinks('a');
    second.hub.close('a');
    expect(second.socket.closedWith).toBe(1000);
  });
});
