import type { ApiObject } from './context';

/** A handler as the dispatcher sees it, arguments not yet checked. @internal */
export type AnyHandler = (ctx: unknown, ...args: unknown[]) => unknown;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Flattens the API object into `path → handler` once, at start-up. Lookups then never walk a
 * client-supplied path through live objects, so `__proto__/x` or `toString` cannot reach anything.
 */
export function flattenApi(api: ApiObject | undefined): Map<string, AnyHandler> {
  const handlers = new Map<string, AnyHandler>();
  const visit = (node: ApiObject, prefix: string, seen: Set<object>) => {
    if (seen.has(node)) throw new Error(`wirestore: the API object has a cycle at "${prefix}"`);
    seen.add(node);
    for (const name of Object.keys(node)) {
      if (FORBIDDEN_SEGMENTS.has(name) || name.includes('/')) {
        throw new Error(`wirestore: "${prefix}${name}" is not a valid API name (no "/", "__proto__", "constructor" or "prototype")`);
      }
      const value = node[name];
      if (typeof value === 'function') handlers.set(prefix + name, value as AnyHandler);
      else if (value && typeof value === 'object') visit(value, `${prefix}${name}/`, seen);
    }
  };
  if (api) visit(api, '', new Set());
  return handlers;
}
