import type { MergeConfig } from '../../protocol/frames';
import { keyedMerger } from './keyed-merge';
import { latestMerger } from './latest';
import { DEFAULT_MERGE, type Merger } from './merge';
import { setMerger } from './set';

export type { Merger } from './merge';
export { DEFAULT_MERGE } from './merge';

/**
 * The merger for a merge config:
 * - `crud`: `created` / `updated` upsert by `key` (default `id`), `deleted` removes, order kept; `prepend` puts new items first;
 * - `latest`: the last `max` events (default 50);
 * - `set`: each event replaces the value;
 * - `presence`: `join` / `leave` keyed by `.key`;
 * - `cursor`: `update` / `remove` keyed by `.key`.
 * Every keyed strategy also takes `set` (replace all).
 */
export function mergerFor(config: MergeConfig = DEFAULT_MERGE): Merger {
  switch (config.strategy) {
    case 'crud':
      return keyedMerger(config.key ?? 'id', { upsert: ['created', 'updated'], remove: ['deleted'] }, config.prepend === true) as Merger;
    case 'latest':
      return latestMerger(config.max) as Merger;
    case 'set':
      return setMerger() as Merger;
    case 'presence':
      return keyedMerger('key', { upsert: ['join'], remove: ['leave'] }) as Merger;
    case 'cursor':
      return keyedMerger('key', { upsert: ['update'], remove: ['remove'] }) as Merger;
    default:
      throw new TypeError(`unknown merge strategy ${JSON.stringify((config as { strategy: unknown }).strategy)}`);
  }
}
