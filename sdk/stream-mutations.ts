import type { ReadableAtom, WritableAtom } from 'nanostores';
import type { CrudActions } from '../protocol/frames';
import type { Merger } from './merge/index';
import { MutationHistory } from './mutation-history';
import { OptimisticLayers, type Change } from './optimistic-layers';
import { crudWrites } from './crud-writes';

/** How to take back a mutation made with `mutate`, for `undo()`. */
export interface Inverse {
  send(): Promise<unknown>;
  change?: Change;
}

/** Writing to a stream: optimistic changes, crud actions and undo/redo. */
export interface StreamMutations<Item = unknown> {
  /** Applies `data` as if the server had published `event`, at once. Returns the rollback. */
  optimistic(event: string, data: unknown): () => void;
  /**
   * Runs `send` (a server call) with `change` shown optimistically meanwhile: on success the
   * change stays until the server's own event confirms it; on failure only this change is
   * removed, and the promise rejects. With `inverse`, the mutation joins the undo history.
   * @example await todos.mutate(() => client.call('todos/rename', id, name), { event: 'updated', data: { ...todo, name } })
   */
  mutate<Result>(send: () => Promise<Result>, change?: Change, options?: { inverse?: Inverse; redo?: Inverse }): Promise<Result>;
  /** `crud` streams whose server declares `actions`: create optimistically (a temporary id is fine). */
  create(item: Item): Promise<Item>;
  /** Update optimistically; undo restores the previous version. */
  update(item: Item): Promise<unknown>;
  /** Delete optimistically; undo re-creates the row. */
  remove(key: unknown): Promise<unknown>;
  /** Takes back this user's last mutation through the server. Resolves false when there is none. */
  undo(): Promise<boolean>;
  redo(): Promise<boolean>;
  readonly canUndo: ReadableAtom<boolean>;
  readonly canRedo: ReadableAtom<boolean>;
}

/** What the mutations need from their stream. @internal */
export interface MutableStream {
  readonly merger: Merger;
  readonly confirmed: unknown;
  readonly actions: CrudActions | undefined;
  call(path: string, args: unknown[]): Promise<unknown>;
}

/** The methods that the store forwards here once this module has loaded. @internal */
export type StreamWriteMethods = Omit<StreamMutations, 'canUndo' | 'canRedo'>;

/**
 * The write side of one stream store: its optimistic layers, the mutations and their history.
 * Loaded on demand (the store starts loading it when first listened to), so an app that only
 * reads streams or makes calls never downloads it.
 * @internal
 */
export function streamMutations(
  stream: MutableStream,
  onLayersChange: () => void,
  historyLimit: number,
  canUndo: WritableAtom<boolean>,
  canRedo: WritableAtom<boolean>,
): { layers: OptimisticLayers; methods: StreamWriteMethods } {
  const layers = new OptimisticLayers(onLayersChange);
  const history = new MutationHistory(historyLimit, canUndo, canRedo);

  const mutate = async <Result>(send: () => Promise<Result>, change?: Change, options: { inverse?: Inverse; redo?: Inverse } = {}) => {
    const layer = change && layers.add(change, stream.merger);
    let result: Result;
    try {
      result = await send();
    } catch (error) {
      if (layer) layers.remove(layer);
      throw error;
    }
    if (layer) layers.settle(layer, result, stream.merger, stream.confirmed);
    const { inverse } = options;
    if (inverse) {
      const forward: Inverse = options.redo ?? { send, ...(change && { change }) };
      history.record({
        undo: () => mutate(inverse.send, inverse.change),
        redo: () => mutate(forward.send, forward.change),
      });
    }
    return result;
  };

  const { create, update, remove } = crudWrites(stream, mutate);

  const methods: StreamWriteMethods = {
    optimistic(event, data) {
      const layer = layers.add({ event, data }, stream.merger);
      return () => layers.remove(layer);
    },
    mutate,
    create: create as StreamMutations['create'],
    update,
    remove,
    undo: () => history.undo(),
    redo: () => history.redo(),
  };
  return { layers, methods };
}
