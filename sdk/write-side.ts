import { atom } from 'nanostores';
import type { OptimisticLayers } from './optimistic-layers';
import type { MutableStream, StreamMutations, StreamWriteMethods } from './stream-mutations';

/**
 * A stream store's write side, loaded on demand (`stream-mutations`, its own file): the store's
 * write methods exist at once and forward to it, waiting for the load the first time. Until it has
 * loaded there are no optimistic layers to show.
 * @internal
 */
export class WriteSide {
  readonly #$canUndo = atom(false);
  readonly #$canRedo = atom(false);
  #layers: OptimisticLayers | undefined;
  #writes: StreamWriteMethods | undefined;
  #loading: Promise<StreamWriteMethods> | undefined;

  constructor(
    private readonly stream: MutableStream,
    private readonly onLayersChange: () => void,
    private readonly historyLimit: number,
  ) {}

  /** The optimistic layers, once loaded. */
  get layers(): OptimisticLayers | undefined {
    return this.#layers;
  }

  load(): Promise<StreamWriteMethods> {
    this.#loading ??= import('./stream-mutations').then(({ streamMutations }) => {
      const { layers, methods } = streamMutations(this.stream, this.onLayersChange, this.historyLimit, this.#$canUndo, this.#$canRedo);
      this.#layers = layers;
      return (this.#writes = methods);
    });
    return this.#loading;
  }

  /** The methods the store carries. */
  methods(): StreamMutations {
    const write =
      (name: Exclude<keyof StreamWriteMethods, 'optimistic'>) =>
      (...args: unknown[]): Promise<unknown> =>
        this.#writes
          ? (this.#writes[name] as (...a: unknown[]) => Promise<unknown>)(...args)
          : this.load().then((writes) => (writes[name] as (...a: unknown[]) => Promise<unknown>)(...args));
    return {
      canUndo: this.#$canUndo,
      canRedo: this.#$canRedo,
      mutate: write('mutate') as StreamMutations['mutate'],
      create: write('create') as StreamMutations['create'],
      update: write('update'),
      remove: write('remove'),
      undo: write('undo') as StreamMutations['undo'],
      redo: write('redo') as StreamMutations['redo'],
      // Shown at once when the write side has loaded (it starts loading when the store is first
      // listened to); before that, as soon as it has, and the rollback still takes it back.
      optimistic: (event: string, data: unknown) => {
        if (this.#writes) return this.#writes.optimistic(event, data);
        const rollback = this.load().then((writes) => writes.optimistic(event, data));
        return () => void rollback.then((undo) => undo());
      },
    };
  }
}
