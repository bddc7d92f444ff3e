import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../protocol/json-codec';
import { Coalescer } from './coalescer';
import type { LiveSocket } from './socket-data';

/** A uWS socket stand-in that records what is sent; nothing is ever buffered. */
function stubSocket() {
  const sent: Array<Record<string, unknown>> = [];
  const data = { closed: false, codec: jsonCodec };
  const ws = {
    getUserData: () => data,
    getBufferedAmount: () => 0,
    cork: (work: () => void) => work(),
    send: (payload: string) => void sent.push(JSON.parse(payload) as Record<string, unknown>),
  } as unknown as LiveSocket;
  return { ws, sent };
}

const values = (sent: Array<Record<string, unknown>>) => sent.filter((frame) => frame.type === undefined).map((frame) => frame.data);

describe('coalesced sends', () => {
  it('keeps at most one window of unacknowledged bytes in flight, and sends more only on ack', () => {
    const clock = { now: 0 };
    const coalescer = new Coalescer(1 << 20, 100, () => clock.now);
    const { ws, sent } = stubSocket();
    for (let key = 0; key < 20; key++) coalescer.set(ws, `k${key}`, { topic: 't', event: 'v', data: key });
    coalescer.flush(ws);
    // Each value frame is 37 bytes here: the window of 100 closes after the third.
    expect(values(sent)).toEqual([0, 1, 2]);
    expect(sent.at(-1)).toEqual({ type: 'coalesced', batch: 1, superseded: {} });
    coalescer.flush(ws);
    expect(values(sent)).toEqual([0, 1, 2]); // window full: nothing more until the client acks
    coalescer.ack(ws, 1);
    coalescer.flush(ws);
    expect(values(sent)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('replaces a pending value in place and counts what was superseded', () => {
    const coalescer = new Coalescer(1 << 20, 1 << 20);
    const { ws, sent } = stubSocket();
    coalescer.set(ws, 'a', { topic: 't', event: 'v', data: 1 });
    coalescer.set(ws, 'b', { topic: 't', event: 'v', data: 'b' });
    coalescer.set(ws, 'a', { topic: 't', event: 'v', data: 2 });
    coalescer.flush(ws);
    expect(values(sent)).toEqual([2, 'b']);
    expect(sent.at(-1)).toEqual({ type: 'coalesced', batch: 1, superseded: { t: 1 } });
  });

  it('writes off a window the client never acknowledged after 3 s', () => {
    const clock = { now: 0 };
    const coalescer = new Coalescer(1 << 20, 30, () => clock.now);
    const { ws, sent } = stubSocket();
    coalescer.set(ws, 'a', { topic: 't', event: 'v', data: 1 });
    coalescer.flush(ws);
    coalescer.set(ws, 'a', { topic: 't', event: 'v', data: 2 });
    coalescer.flush(ws);
    expect(values(sent)).toEqual([1]);
    clock.now = 3000;
    coalescer.flush(ws);
    expect(values(sent)).toEqual([1, 2]);
  });
});
