import type { EventEnvelope } from '../protocol/frames';

interface BufferedEvent {
  event: string;
  data: unknown;
  seq: number;
  at: number;
}

interface TopicLog {
  /** When the topic last published (for evicting the quietest topics first). */
  lastAt: number;
  events: BufferedEvent[];
  /** Events before this index are trimmed; dropped in bulk so a publish stays O(1) amortized. */
  head: number;
}

/** Replay limits. `maxAgeMs` is counted back from a topic's newest event, so a quiet topic keeps its tail. */
export interface ReplayOptions {
  /** Events kept per topic. Default 500; 0 turns replay off. */
  maxEvents?: number;
  /** Oldest event kept, counted back from the topic's newest. Default 10 minutes. */
  maxAgeMs?: number;
  /**
   * Events kept over all topics. Past it, the topics that published longest ago are forgotten
   * (their clients reload in full instead of resuming), so many topics cannot add up without
   * bound. Default 100,000.
   */
  maxTotalEvents?: number;
}

/**
 * The last events of every topic, so a client that missed some can be sent exactly those.
 * A topic's seqs are contiguous, so finding a position is arithmetic, not a search.
 * @internal
 */
export class ReplayBuffer {
  private readonly logs = new Map<string, TopicLog>();
  private readonly maxEvents: number;
  private readonly maxAgeMs: number;
  private readonly maxTotalEvents: number;
  /** Events held over all topics. */
  private held = 0;

  constructor(
    options: ReplayOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxEvents = Math.max(0, options.maxEvents ?? 500);
    this.maxAgeMs = Math.max(0, options.maxAgeMs ?? 600_000);
    this.maxTotalEvents = Math.max(1, options.maxTotalEvents ?? 100_000);
  }

  /** Events held over all topics (for tests and metrics). */
  get size(): number {
    return this.held;
  }

  record(topic: string, event: string, data: unknown, seq: number): void {
    if (this.maxEvents === 0) return;
    const at = this.now();
    let log = this.logs.get(topic);
    if (!log) this.logs.set(topic, (log = { lastAt: at, events: [], head: 0 }));
    log.lastAt = at;
    log.events.push({ event, data, seq, at });
    const headBefore = log.head;
    while (log.events.length - log.head > this.maxEvents) log.head++;
    while (log.events[log.head]!.at < at - this.maxAgeMs) log.head++;
    this.held += 1 - (log.head - headBefore);
    if (log.head > 256 && log.head * 2 > log.events.length) {
      log.events = log.events.slice(log.head);
      log.head = 0;
    }
    if (this.held > this.maxTotalEvents) this.evictQuietest();
  }

  /** Forgets whole topics, the longest quiet first, until a tenth of the total budget is free. */
  private evictQuietest(): void {
    const byQuiet = [...this.logs].sort(([, a], [, b]) => a.lastAt - b.lastAt);
    for (const [topic, log] of byQuiet) {
      if (this.held <= this.maxTotalEvents * 0.9) break;
      this.held -= log.events.length - log.head;
      this.logs.delete(topic);
    }
  }

  /**
   * The events after `seq`, when every one of them is still held (`[]` when `seq` is the current
   * position); undefined when some are gone, and the client must reload instead.
   */
  since(topic: string, seq: number, currentSeq: number): EventEnvelope[] | undefined {
    if (seq === currentSeq) return [];
    if (seq > currentSeq) return undefined;
    const log = this.logs.get(topic);
    const first = log?.events[log.head];
    if (!log || !first || first.seq > seq + 1) return undefined;
    const missed: EventEnvelope[] = [];
    for (let i = log.head + (seq + 1 - first.seq); i < log.events.length; i++) {
      const { event, data, seq: eventSeq } = log.events[i]!;
      missed.push({ topic, event, data, seq: eventSeq });
    }
    return missed.length === currentSeq - seq ? missed : undefined;
  }
}
