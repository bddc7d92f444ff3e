import { expect, it } from 'vitest';
import { uwsIsNative } from './uws';

it('runs on the native uWebSockets.js binary, not its silent JavaScript fallback', () => {
  expect(uwsIsNative, 'uWebSockets.js loaded its JS fallback: check the Node version (20) and platform').toBe(true);
});
