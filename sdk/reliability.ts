/**
 * What a client's stream stores went through, counted since it was created: read by
 * `wirestore/testing` (assert that no gap was left unhealed and no duplicate applied) and by the
 * devtools overlay. Plain numbers, so counting costs nothing.
 */
export interface ReliabilityCounts {
  /** Events that arrived after a hole in the seq: each asked the server for a backfill at once. */
  gaps: number;
  /** Backfills answered: the hole was filled (or the store reloaded). */
  healed: number;
  /** Events seen already and dropped, never applied twice. */
  duplicates: number;
  /** Resubscriptions that resumed from the replay buffer. */
  recovered: number;
  /** Resubscriptions that had to load the data again (new epoch, or the hole was too old). */
  reloaded: number;
}

export const newReliabilityCounts = (): ReliabilityCounts => ({ gaps: 0, healed: 0, duplicates: 0, recovered: 0, reloaded: 0 });
