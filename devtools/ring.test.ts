import { expect, it } from 'vitest';
import { Ring } from './ring';

it('keeps the newest `capacity` entries, oldest first', () => {
  const ring = new Ring<number>(3);
  for (let i = 1; i <= 7; i++) ring.push(i);
  expect(ring.toArray()).toEqual([5, 6, 7]);
  expect(ring.size).toBe(3);
  ring.clear();
  ring.push(8);
  expect(ring.toArray()).toEqual([8]);
});
