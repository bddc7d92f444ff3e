import { expect, it } from 'vitest';
import { addSuperseded } from './superseded-counts';

it('adds counts per topic, ignores junk, and keeps hostile topic names as plain keys', () => {
  const once = addSuperseded({}, { doc: 3, other: 'x' });
  const twice = addSuperseded(once, JSON.parse('{"doc": 2, "__proto__": 5}'));
  expect(once).toEqual({ doc: 3 });
  expect(twice.doc).toBe(5);
  expect(Object.getOwnPropertyDescriptor(twice, '__proto__')?.value).toBe(5);
  expect(Object.getPrototypeOf(twice)).toBeNull(); // no prototype to write through
});
