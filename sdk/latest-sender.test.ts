import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { LatestSender } from './latest-sender';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function recorder() {
  const sent: number[] = [];
  const send = (value: number) => () => {
    sent.push(value);
    return new Promise((resolve) => setTimeout(resolve, 10)); // a 10 ms round trip
  };
  return { sent, send };
}

it('keeps one send in flight per key and only the newest waiting', async () => {
  const { sent, send } = recorder();
  const sender = new LatestSender(() => false);
  for (let i = 1; i <= 100; i++) sender.send('cursor', send(i));
  await vi.advanceTimersByTimeAsync(100);
  expect(sent).toEqual([1, 100]);
});

it('spaces sends out while the server reports pressure', async () => {
  let pressure = false;
  const { sent, send } = recorder();
  const sender = new LatestSender(() => pressure, { normal: 0, pressure: 250 });
  const moveFor = async (ms: number) => {
    for (let t = 0; t < ms; t += 5) {
      sender.send('cursor', send(t));
      await vi.advanceTimersByTimeAsync(5);
    }
  };
  await moveFor(500);
  const calm = sent.length;
  sent.length = 0;
  pressure = true;
  await moveFor(500);
  expect(calm).toBeGreaterThanOrEqual(40); // about one per 10 ms round trip
  expect(sent.length).toBeLessThanOrEqual(3); // about one per 260 ms
});
