import { computed, type ReadableAtom, type StoreValues } from 'nanostores';

/**
 * A store computed from several stores; it recomputes when any of them changes, and keeps them
 * subscribed only while it is itself in use.
 * @example const openCount = combine(todos, filter, (list, f) => (list ?? []).filter(f).length)
 */
export function combine<Stores extends ReadableAtom<unknown>[], Result>(
  ...args: [...stores: Stores, fn: (...values: StoreValues<Stores>) => Result]
): ReadableAtom<Result> {
  const fn = args.pop() as (...values: StoreValues<Stores>) => Result;
  const stores = args as unknown as Stores;
  return computed(stores, fn as never) as ReadableAtom<Result>;
}
