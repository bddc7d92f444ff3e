/**
 * Adds a server's per-topic counts of superseded coalesced values to the running totals, into a
 * new object. Keys are written as data (a topic named `__proto__` stays a topic).
 */
export function addSuperseded(
  totals: Readonly<Record<string, number>>,
  superseded: Readonly<Record<string, unknown>>,
): Record<string, number> {
  const next: Record<string, number> = { ...totals };
  for (const [topic, count] of Object.entries(superseded)) {
    if (typeof count !== 'number') continue;
    const before = Object.prototype.hasOwnProperty.call(next, topic) ? next[topic]! : 0; // never read through the prototype
    Object.defineProperty(next, topic, { value: before + count, enumerable: true, writable: true, configurable: true });
  }
  return next;
}
