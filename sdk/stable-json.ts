/**
 * JSON with object keys sorted, so deep-equal arguments give equal strings (the dedup key of
 * identical calls). Undefined for values JSON cannot hold, which then never dedup.
 */
export function stableJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, (_key, item: unknown) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(item).sort()) {
        // defineProperty, not assignment: a "__proto__" key must stay data, not a prototype.
        Object.defineProperty(sorted, key, {
          value: (item as Record<string, unknown>)[key],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return sorted;
    });
  } catch {
    return undefined;
  }
}
