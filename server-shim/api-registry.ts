import type { ApiObject } from './context';
import { isStreamDefinition, type StreamDefinition } from './stream-definition';

/** A handler as the dispatcher sees it, arguments not yet checked. @internal */
export type AnyHandler = (ctx: unknown, ...args: unknown[]) => unknown;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** The API object flattened: RPC handlers and stream declarations by path. @internal */
export interface FlatApi {
  handlers: Map<string, AnyHandler>;
  streams: Map<string, StreamDefinition>;
}

/**
 * Flattens the API object into `path → handler` and `path → stream` once, at start-up. Lookups
 * then never walk a client-supplied path through live objects, so `__proto__/x` or `toString`
 * cannot reach anything.
 */
export function flattenApi(api: ApiObject | undefined): FlatApi {
  const handlers = new Map<string, AnyHandler>();
  const streams = new Map<string, StreamDefinition>();
  const visit = (node: ApiObject, prefix: string, seen: Set<object>) => {
    if (seen.has(node)) throw new Error(`wirestore: the API object has a cycle at "${prefix}"`);
    seen.add(node);
    for (const name of Object.keys(node)) {
      if (FORBIDDEN_SEGMENTS.has(name) || name.includes('/') || name.startsWith('__')) {
        throw new Error(`wirestore: "${prefix}${name}" is not a valid API name (no "/", no "__" prefix, not "constructor" or "prototype")`);
      }
      const value: unknown = node[name];
      if (typeof value === 'function') handlers.set(prefix + name, value as AnyHandler);
      else if (isStreamDefinition(value)) streams.set(prefix + name, value);
      else if (value && typeof value === 'object') visit(value as ApiObject, `${prefix}${name}/`, seen);
    }
  };
  if (api) visit(api, '', new Set());
  return { handlers, streams };
}
