import { describe, expect, it } from 'vitest';
import { classifyClose } from './close-codes';

describe('classifyClose', () => {
  it.each([1008, 4401, 4403])('stops for good on %i', (code) => expect(classifyClose(code)).toBe('terminal'));
  it('slows down on 4429', () => expect(classifyClose(4429)).toBe('throttle'));
  it.each([1000, 1001, 1006, 1007, 1009, 1011, 4000, 4999])('retries on %i', (code) => expect(classifyClose(code)).toBe('retry'));
});
