/** Ids remembered per topic (the oldest go first past it): a topic's dedup memory is bounded. */
const MAX_IDS_PER_TOPIC = 1000;

/**
 * The memory engine's publish dedup: per topic, the ids of recent publishes and the seq each got,
 * for `windowMs`, so a publish retried with the same id is not sent twice. Forgotten with the
 * topic's state (a new epoch starts a new seq space, where the old seqs mean nothing).
 * @internal
 */
export class PublishIds {
  readonly #byTopic = new Map<string, Map<string, { seq: number; at: number }>>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The seq the id's publish got, if it was made on this topic within the window. */
  seqOf(topic: string, id: string): number | undefined {
    const ids = this.#byTopic.get(topic);
    const seen = ids?.get(id);
    if (!seen) return undefined;
    if (this.now() - seen.at <= this.windowMs) return seen.seq;
    ids!.delete(id);
    return undefined;
  }

  remember(topic: string, id: string, seq: number): void {
    let ids = this.#byTopic.get(topic);
    if (!ids) this.#byTopic.set(topic, (ids = new Map()));
    ids.set(id, { seq, at: this.now() });
    if (ids.size > MAX_IDS_PER_TOPIC) ids.delete(ids.keys().next().value!);
  }

  forget(topic: string): void {
    this.#byTopic.delete(topic);
  }
}

/**
 * A publish id as given (`{ id }` of `publishConfirmed` and `redisPublisher().publish`): a
 * non-empty string of at most 200 characters, or nothing.
 */
export function checkedPublishId(id: unknown): string | undefined {
  if (id === undefined) return undefined;
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
    throw new TypeError(`a publish's id must be a string of 1–200 characters, got ${JSON.stringify(id)}`);
  }
  return id;
}
