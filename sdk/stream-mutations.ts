import type { ReadableAtom } from 'nanostores';
import type { WirestoreErrorCode } from '../protocol/error-codes';
import type { CrudActions } from '../protocol/frames';
import type { Merger } from './merge/index';
import { MutationHistory } from './mutation-history';
import { OptimisticLayers, type Change } from './optimistic-layers';
import { RpcError } from './rpc-error';

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

/** Runs `start` now (the optimistic change shows in this tick); a throw becomes a rejection. */
function synchronously(start: () => Promise<unknown>): Promise<unknown> {
  try {
    return start();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** @internal */
export function streamMutations(stream: MutableStream, layers: OptimisticLayers, historyLimit: number): StreamMutations {
  const history = new MutationHistory(historyLimit);

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

  const action = (name: keyof CrudActions): string => {
    const path = stream.actions?.[name];
    if (!path) {
      throw new RpcError(
        'INVALID_REQUEST' satisfies WirestoreErrorCode,
        `this stream declares no "${name}" action: add { actions: { ${name}: 'rpc/path' } } to its stream() options`,
      );
    }
    return path;
  };
  const keyField = () => stream.merger.keyField ?? 'id';
  const current = (key: unknown) => stream.merger.get?.(stream.confirmed, key);
  const keyOf = (item: unknown) => stream.merger.keyOf?.(item);

  const create = (item: unknown): Promise<unknown> =>
    synchronously(() => {
      const path = action('create');
      let created: unknown = item;
      const send = () => stream.call(path, [item]).then((result) => (created = result ?? item));
      // Getters: the undo must delete the row under its real id, known only once the server answered.
      return mutate(
        send,
        { event: 'created', data: item },
        {
          inverse: {
            send: () => stream.call(action('remove'), [keyOf(created)]),
            get change() {
              return { event: 'deleted', data: { [keyField()]: keyOf(created) } };
            },
          },
          redo: {
            send: () => stream.call(path, [created]),
            get change() {
              return { event: 'created', data: created };
            },
          },
        },
      ).then(() => created);
    });

  const update = (item: unknown): Promise<unknown> =>
    synchronously(() => {
      const path = action('update');
      const before = current(keyOf(item));
      return mutate(
        () => stream.call(path, [item]),
        { event: 'updated', data: item },
        {
          ...(before !== undefined && { inverse: { send: () => stream.call(path, [before]), change: { event: 'updated', data: before } } }),
        },
      );
    });

  const remove = (key: unknown): Promise<unknown> =>
    synchronously(() => {
      const path = action('remove');
      const before = current(key);
      return mutate(
        () => stream.call(path, [key]),
        { event: 'deleted', data: { [keyField()]: key } },
        {
          ...(before !== undefined && {
            inverse: { send: () => stream.call(action('create'), [before]), change: { event: 'created', data: before } },
          }),
        },
      );
    });

  return {
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
    canUndo: history.canUndo,
    canRedo: history.canRedo,
  };
}
