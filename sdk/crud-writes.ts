import type { WirestoreErrorCode } from '../protocol/error-codes';
import type { CrudActions } from '../protocol/frames';
import type { Change } from './optimistic-layers';
import { RpcError } from './rpc-error';
import type { Inverse, MutableStream } from './stream-mutations';

/** How a crud write runs: the call, the change shown meanwhile, and how to undo and redo it. */
export type Mutate = (send: () => Promise<unknown>, change?: Change, options?: { inverse?: Inverse; redo?: Inverse }) => Promise<unknown>;

/** Runs `start` now (the optimistic change shows in this tick); a throw becomes a rejection. */
function synchronously(start: () => Promise<unknown>): Promise<unknown> {
  try {
    return start();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * `create`, `update` and `remove` for crud streams whose server declares `actions`: each calls the
 * action, shows the change optimistically meanwhile, and records its inverse for undo.
 * @internal
 */
export function crudWrites(stream: MutableStream, mutate: Mutate) {
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

  return { create, update, remove };
}
