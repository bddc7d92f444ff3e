import { describe, expect, it, vi } from 'vitest';
import { PressureSampler, pressureReason } from './pressure';
import { PublishTiming } from './publish-timing';
import { TokenBucket } from './rate-limit';

const thresholds = { memoryHeapUsedRatio: 0.85, publishRatePerSec: 100, subscriberRatio: 10, sampleIntervalMs: 1000 } as const;

describe('pressure', () => {
  it('ranks reasons MEMORY > PUBLISH_RATE > SUBSCRIBERS', () => {
    expect(pressureReason({ heapUsedRatio: 0.9, publishRate: 1000, subscriberRatio: 100 }, thresholds)).toBe('MEMORY');
    expect(pressureReason({ heapUsedRatio: 0.1, publishRate: 1000, subscriberRatio: 100 }, thresholds)).toBe('PUBLISH_RATE');
    expect(pressureReason({ heapUsedRatio: 0.1, publishRate: 1, subscriberRatio: 100 }, thresholds)).toBe('SUBSCRIBERS');
    expect(pressureReason({ heapUsedRatio: 0.1, publishRate: 1, subscriberRatio: 1 }, thresholds)).toBe('NONE');
  });

  it('ignores a signal set to false', () => {
    expect(pressureReason({ heapUsedRatio: 0.99, publishRate: 1, subscriberRatio: 1 }, { ...thresholds, memoryHeapUsedRatio: false })).toBe(
      'NONE',
    );
  });

  it('reports transitions only, and a throwing listener does not stop the others', () => {
    let publishes = 0;
    let clock = 0;
    const errors: unknown[] = [];
    const sampler = new PressureSampler(
      { publishRatePerSec: 100, memoryHeapUsedRatio: false, subscriberRatio: false },
      { takePublishCount: () => publishes, connections: () => 1, subscriptions: () => 1 },
      (error) => errors.push(error),
      () => ({ rss: 1, heapTotal: 1, heapUsed: 0, external: 0, arrayBuffers: 0 }),
      () => (clock += 1000),
    );
    const seen: string[] = [];
    sampler.onTransition(() => {
      throw new Error('listener bug');
    });
    sampler.onTransition(({ reason }) => seen.push(reason));
    publishes = 500;
    sampler.sample();
    sampler.sample();
    publishes = 5;
    sampler.sample();
    expect(seen).toEqual(['PUBLISH_RATE', 'NONE']);
    expect(errors).toHaveLength(2);
    expect(sampler.snapshot).toMatchObject({ active: false, reason: 'NONE', publishRate: 5 });
  });

  it('never samples faster than every 100 ms', () => {
    vi.useFakeTimers();
    try {
      let samples = 0;
      const sampler = new PressureSampler(
        { sampleIntervalMs: 1 },
        { takePublishCount: () => (samples++, 0), connections: () => 0, subscriptions: () => 0 },
        () => {},
      );
      sampler.start();
      vi.advanceTimersByTime(1000);
      sampler.stop();
      expect(samples).toBe(10);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('publish timing', () => {
  it('throttles with a leading and a trailing edge carrying the latest value', () => {
    vi.useFakeTimers();
    try {
      const sent: number[] = [];
      const timing = new PublishTiming();
      for (let i = 1; i <= 5; i++) timing.throttle('k', 100, () => sent.push(i));
      expect(sent).toEqual([1]);
      vi.advanceTimersByTime(100);
      expect(sent).toEqual([1, 5]);
      vi.advanceTimersByTime(500);
      expect(sent).toEqual([1, 5]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('debounces to the last call of a burst', () => {
    vi.useFakeTimers();
    try {
      const sent: number[] = [];
      const timing = new PublishTiming();
      for (let i = 1; i <= 5; i++) {
        timing.debounce('k', 100, () => sent.push(i));
        vi.advanceTimersByTime(50);
      }
      expect(sent).toEqual([]);
      vi.advanceTimersByTime(100);
      expect(sent).toEqual([5]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('token bucket', () => {
  it('allows a burst, then the refill rate, and says when to retry', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    expect(bucket.retryAfterMs()).toBe(100);
    now = 100;
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });
});
