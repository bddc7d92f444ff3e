/**
 * JSON with object keys sorted, so deep-equal arguments give equal strings (the dedup key of
 * identical calls). Undefined for values JSON cannot hold, which then never dedup.
 */
export function stableJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, (_key, item: unknown) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
      // No prototype: a "__proto__" key stays data instead of setting one.
      const sorted = Object.create(null) as Record<string, unknown>;
      for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
      return sorted;
    });
  } catch {
    return undefined;
  }
}
