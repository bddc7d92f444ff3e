import type { PressureReason } from '../protocol/frames';

/** Thresholds of the pressure signal; `false` turns one off. */
export interface PressureOptions {
  /** heapUsed / heapTotal above which the reason is MEMORY. Default 0.85. */
  memoryHeapUsedRatio?: number | false;
  /** Publishes per second above which the reason is PUBLISH_RATE. Default 10000. */
  publishRatePerSec?: number | false;
  /** Subscriptions per connection above which the reason is SUBSCRIBERS. Default 50. */
  subscriberRatio?: number | false;
  /** How often to sample. Default 1000; never below 100. */
  sampleIntervalMs?: number;
}

/** The last sample: read it anywhere, it costs a property access. */
export interface PressureSnapshot {
  active: boolean;
  reason: PressureReason;
  publishRate: number;
  subscriberRatio: number;
  heapUsedRatio: number;
  memoryMB: number;
}

export interface PressureCounters {
  /** Publishes since the last sample (the sampler resets it). */
  takePublishCount(): number;
  connections(): number;
  subscriptions(): number;
}

/** The reason for a sample, most urgent first: MEMORY > PUBLISH_RATE > SUBSCRIBERS (ENGINE, set apart, comes before all). */
export function pressureReason(
  sample: Pick<PressureSnapshot, 'heapUsedRatio' | 'publishRate' | 'subscriberRatio'>,
  thresholds: Required<PressureOptions>,
): PressureReason {
  if (thresholds.memoryHeapUsedRatio !== false && sample.heapUsedRatio > thresholds.memoryHeapUsedRatio) return 'MEMORY';
  if (thresholds.publishRatePerSec !== false && sample.publishRate > thresholds.publishRatePerSec) return 'PUBLISH_RATE';
  if (thresholds.subscriberRatio !== false && sample.subscriberRatio > thresholds.subscriberRatio) return 'SUBSCRIBERS';
  return 'NONE';
}

/**
 * Samples the process on a timer and keeps `snapshot` current; listeners hear about transitions
 * only (the reason changed), and one that throws does not stop the others.
 * @internal
 */
export class PressureSampler {
  snapshot: PressureSnapshot = { active: false, reason: 'NONE', publishRate: 0, subscriberRatio: 0, heapUsedRatio: 0, memoryMB: 0 };
  private readonly listeners = new Set<(snapshot: PressureSnapshot) => void>();
  private readonly thresholds: Required<PressureOptions>;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastSampleAt = 0;
  /** Set while the engine (Redis) is unreachable: the reason is then ENGINE, whatever else holds. */
  private engineDown = false;

  constructor(
    options: PressureOptions,
    private readonly counters: PressureCounters,
    private readonly onError: (error: unknown) => void,
    private readonly readMemory: () => NodeJS.MemoryUsage = () => process.memoryUsage(),
    private readonly now: () => number = Date.now,
  ) {
    this.thresholds = {
      memoryHeapUsedRatio: options.memoryHeapUsedRatio ?? 0.85,
      publishRatePerSec: options.publishRatePerSec ?? 10_000,
      subscriberRatio: options.subscriberRatio ?? 50,
      sampleIntervalMs: Math.max(100, options.sampleIntervalMs ?? 1000),
    };
  }

  start(): void {
    this.lastSampleAt = this.now();
    this.timer = setInterval(() => this.sample(), this.thresholds.sampleIntervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  onTransition(listener: (snapshot: PressureSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The engine became unreachable (false) or reachable again (true): clients hear it at once. */
  setEngineAvailable(available: boolean): void {
    if (this.engineDown === !available) return;
    this.engineDown = !available;
    this.sample();
  }

  sample(): void {
    const now = this.now();
    const seconds = Math.max(0.001, (now - this.lastSampleAt) / 1000);
    this.lastSampleAt = now;
    const memory = this.readMemory();
    const connections = this.counters.connections();
    const sample = {
      publishRate: this.counters.takePublishCount() / seconds,
      subscriberRatio: connections > 0 ? this.counters.subscriptions() / connections : 0,
      heapUsedRatio: memory.heapTotal > 0 ? memory.heapUsed / memory.heapTotal : 0,
      memoryMB: memory.rss / (1024 * 1024),
    };
    const reason = this.engineDown ? 'ENGINE' : pressureReason(sample, this.thresholds);
    const changed = reason !== this.snapshot.reason;
    this.snapshot = { ...sample, reason, active: reason !== 'NONE' };
    if (!changed) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(this.snapshot);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
