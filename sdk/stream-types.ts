import type { ReadableAtom } from 'nanostores';
import type { MergeConfig, StreamPage } from '../protocol/frames';
import type { RpcError } from './rpc-error';
import type { StreamMutations } from './stream-mutations';

/** `loading`: no data yet; `live`: in step with the server; `resyncing`: catching up (data still shown); `error`: denied or failed (data kept). */
export type StreamStatus = 'loading' | 'live' | 'resyncing' | 'error';

/** How the store last got in step: first load, resumed from the replay buffer, full reload, or pre-filled. */
export type SyncOutcome = 'loaded' | 'recovered' | 'reloaded' | 'hydrated' | 'restored';

/** Data loaded on the server (`server.loadStream`), for {@link StreamStore.hydrate}. */
export interface HydrationData extends StreamPage {
  epoch: string;
  seq: number;
  merge: MergeConfig;
}

/** The item type of a list-valued stream. */
type ItemOf<Value> = Value extends ReadonlyArray<infer Item> ? Item : unknown;

/** A live stream: a nanostores atom (`$todos` in Svelte) plus its state and its write API. */
export interface StreamStore<Value = unknown> extends ReadableAtom<Value | undefined>, StreamMutations<ItemOf<Value>> {
  readonly status: ReadableAtom<StreamStatus>;
  /** Why the stream failed; separate from the value, so an error never wipes the data. */
  readonly error: ReadableAtom<RpcError | undefined>;
  readonly lastSync: ReadableAtom<SyncOutcome | undefined>;
  /** Whether `loadMore()` can fetch another page. */
  readonly hasMore: ReadableAtom<boolean>;
  /** Fetches the next page and appends it. Resolves false when there was none. */
  loadMore(): Promise<boolean>;
  /** Pre-fills the store (SSR): plain data, or `server.loadStream()`'s result to resume from its position. */
  hydrate(data: Value | HydrationData): void;
  /** A store that follows this one only while `condition` holds, and is undefined otherwise. */
  when(condition: boolean | ReadableAtom<unknown> | (() => boolean)): ReadableAtom<Value | undefined>;
}

export function isHydrationData(value: unknown): value is HydrationData {
  const candidate = value as Partial<HydrationData> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.epoch === 'string' &&
    typeof candidate.seq === 'number' &&
    'data' in candidate &&
    typeof candidate.merge === 'object'
  );
}
