import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './backoff';

const at = (value: number) => () => value;

describe('reconnectDelay', () => {
  it('grows by 2.2× per attempt from a 3 s base', () => {
    expect(reconnectDelay(0, { random: at(0.5) })).toBe(3000);
    expect(reconnectDelay(1, { random: at(0.5) })).toBeCloseTo(6600);
    expect(reconnectDelay(2, { random: at(0.5) })).toBeCloseTo(14520);
  });

  it('keeps the jitter within ±25 % of the nominal delay', () => {
    expect(reconnectDelay(1, { random: at(0) })).toBeCloseTo(6600 * 0.75);
    expect(reconnectDelay(1, { random: at(0.999999) })).toBeCloseTo(6600 * 1.25, 0);
    for (let i = 0; i < 1000; i++) {
      const delay = reconnectDelay(3);
      expect(delay).toBeGreaterThanOrEqual(3000 * 2.2 ** 3 * 0.75);
      expect(delay).toBeLessThanOrEqual(3000 * 2.2 ** 3 * 1.25);
    }
  });

  it('caps before jitter, so clients at the cap still spread out', () => {
    expect(reconnectDelay(50, { random: at(0.5) })).toBe(300_000);
    expect(reconnectDelay(50, { random: at(0) })).toBe(225_000);
    expect(reconnectDelay(50, { random: at(0.999999) })).toBeCloseTo(375_000, -1);
  });

  it('honours a custom base and cap', () => {
    expect(reconnectDelay(0, { baseMs: 100, capMs: 150, random: at(0.5) })).toBe(100);
    expect(reconnectDelay(1, { baseMs: 100, capMs: 150, random: at(0.5) })).toBe(150);
  });

  it('treats a negative attempt as the first', () => {
    expect(reconnectDelay(-3, { random: at(0.5) })).toBe(3000);
  });
});
