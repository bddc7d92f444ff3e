import { describe, expect, it } from 'vitest';
import { IdempotencyWindow, type Outcome } from './idempotency';

const ok = (data: unknown): Outcome => ({ ok: true, data });

function windowWith(options: ConstructorParameters<typeof IdempotencyWindow>[0] = {}) {
  const clock = { now: 0 };
  return { clock, window: new IdempotencyWindow(options, () => clock.now) };
}

describe('the exactly-once window', () => {
  it('answers a repeat with the stored outcome, and waits for one still running', async () => {
    const { window } = windowWith();
    let runs = 0;
    let finish!: (outcome: Outcome) => void;
    const first = window.run('u', 'k', 'p', () => (runs++, new Promise<Outcome>((resolve) => (finish = resolve))));
    const repeat = window.run('u', 'k', 'p', () => (runs++, ok('again')));
    finish(ok('once'));
    expect(await first).toEqual(ok('once'));
    expect(await repeat).toEqual(ok('once'));
    expect(window.run('u', 'k', 'p', () => (runs++, ok('later')))).toEqual(ok('once'));
    expect(runs).toBe(1);
  });

  it('keeps trimming finished keys while one slow call is still running', () => {
    const { window } = windowWith({ maxKeysPerUser: 10 });
    void window.run('u', 'slow', 'p', () => new Promise<Outcome>(() => {})); // never settles
    for (let i = 0; i < 1000; i++) void window.run('u', `k${i}`, 'p', () => ok(i));
    expect(window.keysIn('u')).toBe(11); // ten finished keys and the one still running
  });

  it('bounds a user\u2019s window and all windows together by the bytes of their results', () => {
    const { window } = windowWith({ maxBytesPerUser: 1000, maxTotalBytes: 5000 });
    for (let i = 0; i < 50; i++) {
      void window.run('u', `k${i}`, 'p', () => ok(i));
      window.sized('u', `k${i}`, 300);
    }
    expect(window.keysIn('u')).toBe(3); // 3 × 300 bytes fit in 1000
    for (let user = 0; user < 40; user++) {
      void window.run(`guest${user}`, 'k', 'p', () => ok(user));
      window.sized(`guest${user}`, 'k', 900);
    }
    expect(window.scopeCount).toBeLessThanOrEqual(6); // 5000 bytes / 900 per user, the idlest gone first
  });

  it('sweeps the windows of users who left, once their newest key is past maxAgeMs', () => {
    const { clock, window } = windowWith({ maxAgeMs: 1000 });
    for (let user = 0; user < 12; user++) void window.run(`guest${user}`, 'k', 'p', () => ok(user));
    clock.now = 500;
    void window.run('active', 'k', 'p', () => ok('still here'));
    clock.now = 1200;
    window.sweep();
    expect(window.scopeCount).toBe(1);
    expect(window.keysIn('active')).toBe(1);
  });

  it('refuses a key reused for another path, and more running calls than keys kept', () => {
    const { window } = windowWith({ maxKeysPerUser: 2 });
    void window.run('u', 'k', 'a', () => ok(1));
    expect(window.run('u', 'k', 'b', () => ok(2))).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    void window.run('u', 'r1', 'p', () => new Promise<Outcome>(() => {}));
    void window.run('u', 'r2', 'p', () => new Promise<Outcome>(() => {}));
    expect(window.run('u', 'r3', 'p', () => ok(3))).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});
