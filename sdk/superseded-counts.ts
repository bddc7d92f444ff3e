/**
 * Adds a server's per-topic counts of superseded coalesced values to the running totals, into a
 * new object. The object has no prototype, so a topic named `__proto__` stays a topic.
 */
export function addSuperseded(
  totals: Readonly<Record<string, number>>,
  superseded: Readonly<Record<string, unknown>>,
): Record<string, number> {
  const next = Object.assign(Object.create(null) as Record<string, number>, totals);
  for (const [topic, count] of Object.entries(superseded)) if (typeof count === 'number') next[topic] = (next[topic] ?? 0) + count;
  return next;
}
