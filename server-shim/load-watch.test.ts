import { describe, expect, it } from 'vitest';
import { sweepSlowConsumers, type WatchedSocket } from './load-watch';

function stubSocket(buffered: number) {
  const socket = { buffered, endedWith: undefined as number | undefined };
  const watched: WatchedSocket = {
    getBufferedAmount: () => socket.buffered,
    end: (code) => void (socket.endedWith = code),
  };
  return { socket, watched };
}

describe('the slow-consumer watchdog', () => {
  it('closes with exactly 4008 a socket over the limit that did not drain since the last sweep', () => {
    const seen = new WeakMap<WatchedSocket, number>();
    const stuck = stubSocket(2000);
    const fine = stubSocket(500);
    sweepSlowConsumers([stuck.watched, fine.watched], 1000, seen);
    expect(stuck.socket.endedWith).toBeUndefined(); // first sighting: it may be draining
    stuck.socket.buffered = 2500;
    sweepSlowConsumers([stuck.watched, fine.watched], 1000, seen);
    expect(stuck.socket.endedWith).toBe(4008);
    expect(fine.socket.endedWith).toBeUndefined();
  });

  it('leaves alone a socket that is over the limit but draining', () => {
    const seen = new WeakMap<WatchedSocket, number>();
    const draining = stubSocket(10_000);
    for (const buffered of [10_000, 8000, 6000, 3000, 1500, 500]) {
      draining.socket.buffered = buffered;
      sweepSlowConsumers([draining.watched], 1000, seen);
    }
    expect(draining.socket.endedWith).toBeUndefined();
  });

  it('starts over once a socket was back under the limit', () => {
    const seen = new WeakMap<WatchedSocket, number>();
    const bursty = stubSocket(5000);
    sweepSlowConsumers([bursty.watched], 1000, seen);
    bursty.socket.buffered = 100;
    sweepSlowConsumers([bursty.watched], 1000, seen);
    bursty.socket.buffered = 5000;
    sweepSlowConsumers([bursty.watched], 1000, seen);
    expect(bursty.socket.endedWith).toBeUndefined();
    sweepSlowConsumers([bursty.watched], 1000, seen);
    expect(bursty.socket.endedWith).toBe(4008);
  });
});
