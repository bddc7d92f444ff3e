import type { Context } from './context';
import type { EngineRuntime } from './engine';
import { withCursor } from './connection-context';
import type { LoadedStream } from './live-hub';
import { readPage, type StreamDefinition } from './stream-definition';
import type { Topics } from './topics';

/**
 * `server.loadStream`: runs a stream's loader outside any socket, for server-side rendering,
 * and returns its first page with the topic's position, from which a hydrated client resumes.
 * @internal
 */
/** How long after an SSR load its topic's position stays resumable with nobody subscribed. */
const SSR_RESUME_WINDOW_MS = 60_000;

export async function loadStreamForSsr(
  streams: ReadonlyMap<string, StreamDefinition>,
  topics: Topics,
  engine: Pick<EngineRuntime, 'follow'>,
  makeContext: (user: unknown, connectionId: string) => Context,
  path: string,
  context: { user?: unknown },
  args: unknown[],
): Promise<LoadedStream> {
  const definition = streams.get(path);
  if (!definition?.load) throw new Error(`wirestore: no stream with a loader at "${path}"`);
  const ctx = makeContext(context.user, 'ssr');
  const topic = typeof definition.topic === 'string' ? definition.topic : definition.topic(ctx as never, ...(args as never[]));
  await engine.follow(topic); // with Redis: the position is the cluster's
  // Held while loading, so the position returned is the topic's real one when the load ends.
  const hold = topics.holdForLoad(topic);
  try {
    const page = readPage(await definition.load(withCursor(ctx, undefined) as never, ...(args as never[])));
    return { ...page, topic, ...hold.position, merge: definition.merge };
  } finally {
    // The page renders this data, then its browser subscribes with this position: keep the topic's
    // state (its epoch) until then, or the browser would find a new epoch and load again. Bounded:
    // the sweep frees it once this passes with nobody subscribed.
    hold.release(SSR_RESUME_WINDOW_MS);
  }
}
