import { RESERVED_TOPIC_PREFIX, type EventEnvelope } from '../protocol/frames';

interface BufferedEvent {
  event: string;
  data: unknown;
  seq: number;
  at: number;
  bytes: number;
  sender: string | undefined;
}

interface TopicLog {
  /** When the topic last published (for evicting the quietest topics first). */
  lastAt: number;
  events: BufferedEvent[];
  /** Events before this index are trimmed; dropped in bulk so a publish stays O(1) amortized. */
  head: number;
  bytes: number;
}

/** Replay limits: per topic and over all topics, by count, by bytes and by age. */
export interface ReplayOptions {
  /** Events kept per topic. Default 500; 0 turns replay off. */
  maxEvents?: number;
  /** Encoded bytes kept per topic (estimated). Default 4 MiB. */
  maxTopicBytes?: number;
  /** Oldest event kept, counted back from now. Default 10 minutes. */
  maxAgeMs?: number;
  /**
   * Events kept over all topics. Past it (or past `maxTotalBytes`), whole topics are forgotten:
   * the shim's own presence and cursor topics first, then the topics that published longest ago.
   * Their clients reload in full instead of resuming. Default 100,000.
   */
  maxTotalEvents?: number;
  /** Encoded bytes kept over all topics (estimated). Default 64 MiB. */
  maxTotalBytes?: number;
}

/**
 * The last events of every topic, so a client that missed some can be sent exactly those.
 * A topic's seqs are contiguous, so finding a position is arithmetic, not a search. Memory is
 * bounded by count and by bytes, per topic and in total, and events older than `maxAgeMs` are
 * dropped by `sweep` whether or not their topic still publishes.
 * @internal
 */
export class ReplayBuffer {
  private readonly logs = new Map<string, TopicLog>();
  private readonly maxEvents: number;
  readonly maxTopicBytes: number;
  private readonly maxAgeMs: number;
  private readonly maxTotalEvents: number;
  private readonly maxTotalBytes: number;
  /** Events and bytes held over all topics. */
  private held = 0;
  private heldBytes = 0;
  /** Told when a topic's last event is gone, so its other state can go too. */
  onForget: (topic: string) => void = () => {};

  constructor(
    options: ReplayOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxEvents = Math.max(0, options.maxEvents ?? 500);
    this.maxTopicBytes = Math.max(1, options.maxTopicBytes ?? 4 * 1024 * 1024);
    this.maxAgeMs = Math.max(0, options.maxAgeMs ?? 600_000);
    this.maxTotalEvents = Math.max(1, options.maxTotalEvents ?? 100_000);
    this.maxTotalBytes = Math.max(1, options.maxTotalBytes ?? 64 * 1024 * 1024);
  }

  /** Events held over all topics (for tests and metrics). */
  get size(): number {
    return this.held;
  }

  /** Estimated bytes held over all topics (for tests and metrics). */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Whether any event of `topic` is held. */
  holds(topic: string): boolean {
    return this.logs.has(topic);
  }

  record(topic: string, event: string, data: unknown, seq: number, bytes = 0, sender?: string): void {
    if (this.maxEvents === 0 || bytes > this.maxTopicBytes) return this.forget(topic);
    const at = this.now();
    let log = this.logs.get(topic);
    if (!log) this.logs.set(topic, (log = { lastAt: at, events: [], head: 0, bytes: 0 }));
    log.lastAt = at;
    log.events.push({ event, data, seq, at, bytes, sender });
    log.bytes += bytes;
    this.held++;
    this.heldBytes += bytes;
    this.trimTopic(
      log,
      (first) => log.events.length - log.head > this.maxEvents || log.bytes > this.maxTopicBytes || first.at < at - this.maxAgeMs,
    );
    if (this.held > this.maxTotalEvents || this.heldBytes > this.maxTotalBytes) this.evict();
  }

  /** Drops every event older than `maxAgeMs` (call it now and then), and topics left empty. */
  sweep(): void {
    const oldestAllowed = this.now() - this.maxAgeMs;
    for (const [topic, log] of this.logs) {
      this.trimTopic(log, (first) => first.at < oldestAllowed);
      if (log.head === log.events.length) this.forget(topic);
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
      const { event, data, seq: eventSeq, sender } = log.events[i]!;
      missed.push(sender === undefined ? { topic, event, data, seq: eventSeq } : { topic, event, data, seq: eventSeq, sender });
    }
    return missed.length === currentSeq - seq ? missed : undefined;
  }

  /** Drops events from the front while `tooOld(first)` says so; compacts the array in bulk. */
  private trimTopic(log: TopicLog, tooOld: (first: BufferedEvent) => boolean): void {
    while (log.head < log.events.length && tooOld(log.events[log.head]!)) {
      const dropped = log.events[log.head++]!;
      log.bytes -= dropped.bytes;
      this.held--;
      this.heldBytes -= dropped.bytes;
    }
    if (log.head > 256 && log.head * 2 > log.events.length) {
      log.events = log.events.slice(log.head);
      log.head = 0;
    }
  }

  /**
   * Forgets whole topics until a tenth of both budgets is free: the shim's own presence and cursor
   * topics first (a client can make many of them, and they reload cheaply), then the quietest.
   */
  private evict(): void {
    const byVictimOrder = [...this.logs].sort(
      ([topicA, a], [topicB, b]) =>
        Number(!topicA.startsWith(RESERVED_TOPIC_PREFIX)) - Number(!topicB.startsWith(RESERVED_TOPIC_PREFIX)) || a.lastAt - b.lastAt,
    );
    for (const [topic] of byVictimOrder) {
      if (this.held <= this.maxTotalEvents * 0.9 && this.heldBytes <= this.maxTotalBytes * 0.9) break;
      this.forget(topic);
    }
  }

  /** Forgets the topic's events (its epoch rotated, or the engine keeps its history elsewhere). */
  drop(topic: string): void {
    this.forget(topic);
  }

  private forget(topic: string): void {
    const log = this.logs.get(topic);
    if (!log) return;
    this.held -= log.events.length - log.head;
    this.heldBytes -= log.bytes;
    this.logs.delete(topic);
    this.onForget(topic);
  }
}
