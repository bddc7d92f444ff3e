import { expect } from 'vitest';

/** Waits until `check` passes, looking every 10 ms, for at most 5 s (then the test fails on it). */
export async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

/** {@link until} for a check that asks something over the network (Redis); gives up after `timeoutMs`. */
export async function untilAsync(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(await check()).toBe(true);
}
