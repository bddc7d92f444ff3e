import { atom, onMount, type ReadableAtom } from 'nanostores';

/** A store mirroring `source` only while `condition` holds; subscribes to `source` only then. */
export function whenStore<Value>(
  source: ReadableAtom<Value | undefined>,
  condition: boolean | ReadableAtom<unknown> | (() => boolean),
): ReadableAtom<Value | undefined> {
  const gated = atom<Value | undefined>(undefined);
  onMount(gated, () => {
    let stopSource: (() => void) | undefined;
    const follow = (active: boolean) => {
      if (active && !stopSource) stopSource = source.subscribe((value) => gated.set(value));
      if (!active && stopSource) {
        stopSource();
        stopSource = undefined;
        gated.set(undefined);
      }
    };
    const stopCondition =
      typeof condition === 'object' && condition !== null && 'subscribe' in condition
        ? condition.subscribe((value) => follow(Boolean(value)))
        : (follow(typeof condition === 'function' ? condition() : Boolean(condition)), undefined);
    return () => {
      stopCondition?.();
      follow(false);
    };
  });
  return gated;
}
