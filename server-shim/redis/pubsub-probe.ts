import type { RedisSubscriber } from './topic-feed';
import type { RedisCommander } from './topic-log';

export interface ProbeOptions {
  /** Silence on the subscriber connection before it is probed (ms). Default 30 s. */
  idleMs?: number;
  /** How long the probe's echo may take before the connection is taken for wedged (ms). Default 5 s. */
  timeoutMs?: number;
  prefix?: string;
}

/**
 * Keeps an idle pub/sub connection honest: after `idleMs` with nothing received, it publishes a
 * probe to a channel of this instance's own and expects the echo within `timeoutMs`; without it,
 * `onStalled` runs (the engine then reconnects the subscriber and resyncs every topic). A Redis
 * failover once left a subscriber connected and deaf while every health check stayed green.
 * @internal
 */
export class PubSubProbe {
  readonly #options: Required<ProbeOptions>;
  readonly #channel: string;
  #lastHeard = Date.now();
  #timer: ReturnType<typeof setInterval> | undefined;
  #awaiting: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly publisher: RedisCommander,
    private readonly subscriber: RedisSubscriber,
    node: string,
    private readonly onStalled: () => void,
    options: ProbeOptions = {},
  ) {
    this.#options = { idleMs: 30_000, timeoutMs: 5_000, prefix: 'ws:', ...options };
    this.#channel = `${this.#options.prefix}probe:${node}`;
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(this.#channel, () => this.heard());
    this.#timer = setInterval(() => this.#check(), Math.max(10, Math.min(this.#options.idleMs, 1_000)));
    this.#timer.unref?.();
  }

  /** Anything arrived on the subscriber connection: it is alive. */
  heard(): void {
    this.#lastHeard = Date.now();
    clearTimeout(this.#awaiting);
    this.#awaiting = undefined;
  }

  stop(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#awaiting);
  }

  #check(): void {
    if (this.#awaiting || Date.now() - this.#lastHeard < this.#options.idleMs) return;
    this.#awaiting = setTimeout(() => {
      this.#awaiting = undefined;
      this.#lastHeard = Date.now(); // probe again only after another idle period
      this.onStalled();
    }, this.#options.timeoutMs);
    this.publisher.sendCommand(['PUBLISH', this.#channel, String(Date.now())]).catch(() => {
      // Redis unreachable: the timeout above reports it
    });
  }
}
