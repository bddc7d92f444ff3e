/**
 * Throttle (leading and trailing edge) and debounce for publishes, keyed by whatever the caller
 * chooses (topic + event, or a user). The trailing call always carries the latest arguments.
 * @internal
 */
export class PublishTiming {
  private readonly throttles = new Map<string, { timer: ReturnType<typeof setTimeout>; latest: (() => void) | undefined }>();
  private readonly debounces = new Map<string, ReturnType<typeof setTimeout>>();

  /** Runs `send` now if `key` is quiet, else once more at the end of the interval with the latest call. */
  throttle(key: string, intervalMs: number, send: () => void): void {
    const running = this.throttles.get(key);
    if (running) {
      running.latest = send;
      return;
    }
    send();
    const entry = { latest: undefined as (() => void) | undefined, timer: undefined as unknown as ReturnType<typeof setTimeout> };
    const tick = () => {
      const latest = entry.latest;
      if (!latest) {
        this.throttles.delete(key);
        return;
      }
      entry.latest = undefined;
      latest();
      entry.timer = setTimeout(tick, intervalMs);
    };
    entry.timer = setTimeout(tick, intervalMs);
    this.throttles.set(key, entry);
  }

  /** Runs only the last `send` of a burst, `quietMs` after the burst ends. */
  debounce(key: string, quietMs: number, send: () => void): void {
    clearTimeout(this.debounces.get(key));
    this.debounces.set(
      key,
      setTimeout(() => {
        this.debounces.delete(key);
        send();
      }, quietMs),
    );
  }

  /** Forgets a key's pending trailing call (its owner left). */
  cancel(key: string): void {
    const throttle = this.throttles.get(key);
    if (throttle) clearTimeout(throttle.timer);
    this.throttles.delete(key);
    clearTimeout(this.debounces.get(key));
    this.debounces.delete(key);
  }

  stop(): void {
    for (const { timer } of this.throttles.values()) clearTimeout(timer);
    for (const timer of this.debounces.values()) clearTimeout(timer);
    this.throttles.clear();
    this.debounces.clear();
  }
}
