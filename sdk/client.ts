import { atom, onMount } from 'nanostores';
import {
  CURSOR_MOVE_PATH,
  CURSORS_STREAM,
  LOAD_MORE_PATH,
  PRESENCE_STREAM,
  REPLY_PATH,
  type EventEnvelope,
  type SignalFrame,
  type StreamPage,
} from '../protocol/frames';
import { Calls } from './calls';
import type { Client, ClientOptions, PressureState } from './client-types';
import { codecLoader } from './codec-choice';
import { Connection } from './connection';
import { routeFrame } from './frame-router';
import { LatestSender } from './latest-sender';
import { OfflineLink } from './offline-link';
import { answerRequests } from './request-answers';
import { storageNamespace } from './page-origin';
import { safeInvoke } from './safe-invoke';
import { StreamCache, type StreamOptions } from './stream-cache';
import { indexedDbStorage } from './stream-persistence';
import { addSuperseded } from './superseded-counts';
import { Subscriptions, type WireHost } from './subscriptions';
import { RawTopics } from './topic-listeners';
import { newReliabilityCounts } from './reliability';
import { clientInternals } from './dev-internals';
import type { TabRouter } from './tab-router';

export type { CallOptions, Client, ClientOptions, PressureState } from './client-types';

const DEFAULTS = { heartbeatTimeoutMs: 10_000, callTimeoutMs: 30_000, streamKeepMs: 30_000 };

/**
 * Creates a client. Nothing touches the network, `window` or `document` until it connects, so
 * creating one during SSR is safe.
 * @example
 * import { createClient } from 'wirestore';
 * import type { api } from './server/api';
 * const client = createClient<typeof api>();
 * const todo = await client.call('todos/add', 'buy milk');
 */
export function createClient<Api = unknown>(options: ClientOptions = {}): Client<Api> {
  const settings = { ...DEFAULTS, ...options };
  const namespace = () => storageNamespace(typeof options.url === 'string' ? options.url : undefined);
  const subscriptions = new Subscriptions();
  const signalListeners = new Set<(signal: SignalFrame) => void>();
  const $pressure = atom<PressureState>({ active: false, reason: 'NONE' });
  const $coalesced = atom<Readonly<Record<string, number>>>({});
  const latest = new LatestSender(() => $pressure.get().active);

  const loadCodec = codecLoader(options.codec);
  // `shareAcrossTabs`: the tabs of this app share one socket. The first socket waits for that
  // code, a few ms, once; it decides whether this browser can share (else a socket per tab).
  let tabRole: TabRouter['role'] | undefined;
  const sharingReady = () =>
    Promise.resolve(
      options.shareAcrossTabs &&
        import('./tab-share').then(({ shareSocket }) => (tabRole = shareSocket(options, namespace(), connection.config, loadCodec))),
    );
  const connection: Connection = new Connection({
    url: options.url,
    // In development with `devtools`, the first socket waits for the recorder (a few ms, once).
    loadCodec: () => (process.env.NODE_ENV !== 'production' && options.devtools ? devtoolsReady() : sharingReady()).then(loadCodec),
    WebSocket: options.WebSocket,
    backoff: options.reconnect ?? {},
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
    hooks: { onConnect: options.onConnect, onDisconnect: options.onDisconnect, beforeReconnect: options.beforeReconnect },
    debug: options.debug ?? false,
    onOpen(hello) {
      for (const frame of subscriptions.frames()) connection.send(frame);
      calls.opened(hello.limits.maxBatchSize);
      offline?.replay();
    },
    onFrame: (frame) =>
      routeFrame(frame, {
        event: (envelope) => subscriptions.deliver(envelope),
        result: (reply) => calls.replied(reply.id, reply.data),
        error: (failure) => calls.failed(failure),
        subscribed: (ack) => subscriptions.acknowledge(ack),
        denied: (denial) => subscriptions.deny(denial),
        unsubscribed: (notice) => subscriptions.revoke(notice.topic, notice.error),
        signal: (signal) => [...signalListeners].forEach((listener) => safeInvoke(listener, signal)),
        pressure: (pressure) => $pressure.set({ active: pressure.active, reason: pressure.reason }),
        coalesced(notice) {
          connection.send({ type: 'ack', batch: notice.batch }); // lets the server send the next window
          $coalesced.set(addSuperseded($coalesced.get(), notice.superseded));
        },
      }),
    onDrop(closeClass, code, reason) {
      calls.dropped(closeClass, code, reason);
      streams.forEach((stream) => stream.onDisconnected());
    },
  });
  const isOpen = () => connection.status.get().state === 'open';

  const offline: OfflineLink | undefined = options.offline?.queue
    ? new OfflineLink(options.offline, namespace(), {
        send: (call) => calls.send(call.path, call.args, settings.callTimeoutMs, call.key),
        // Only the tab holding a shared socket replays the queue.
        isOpen: () => isOpen() && (tabRole?.get().leader ?? true),
        connect: () => connection.start(),
      })
    : undefined;
  const calls: Calls = new Calls(
    { send: (frame) => connection.send(frame), start: () => connection.start(), state: () => connection.status.get().state },
    settings.callTimeoutMs,
    offline,
  );

  const wire: WireHost = {
    subscribe(subscriber) {
      connection.start(); // first: it throws on misuse, before anything is recorded
      const ref = subscriptions.add(subscriber);
      connection.send(subscriptions.frame(ref)!);
      return ref;
    },
    resubscribe: (ref) => void connection.send(subscriptions.frame(ref)!),
    unsubscribe(ref) {
      const topic = subscriptions.remove(ref);
      if (topic !== undefined) connection.send({ type: 'unsubscribe', topic });
    },
  };
  const rawTopics = new RawTopics(wire);
  const counts = newReliabilityCounts();
  const streams = new StreamCache(
    {
      ...wire,
      counts,
      loadMore: (path, args, cursor) => calls.call({}, LOAD_MORE_PATH, [path, args, cursor]) as Promise<StreamPage>,
      call: (path, args) => calls.call({}, path, args),
    },
    options.streamStorage ?? indexedDbStorage,
    namespace,
    settings.streamKeepMs,
  );

  // A presence or cursors store joins its topic while in use: watching who is there is being there.
  const joined = new WeakSet<object>();
  const cursorWarnings = new Set<string>();
  const joining = (path: string, topic: string) => {
    const store = streams.get(path, [topic], {});
    if (!joined.has(store)) onMount(store, () => client.subscribe(topic, () => {}));
    joined.add(store);
    return store as never;
  };

  const client: Client<Api> = {
    status: connection.status,
    pressure: $pressure,
    connect: () => connection.start(),
    batch: (run, batchOptions = {}) => calls.batch(run, batchOptions.sequential),
    offlineQueue: offline?.state ?? atom({ length: 0, entries: [], replaying: false, lastError: undefined }),
    call: (path, ...args) => calls.call({}, path, args),
    callWith: (callOptions, path, ...args) => calls.call(callOptions, path, args),
    subscribe(topic, onEvent, subscribeOptions = {}) {
      if (typeof topic !== 'string' || topic.length === 0) throw new TypeError('subscribe: topic must be a non-empty string');
      if (typeof onEvent !== 'function') throw new TypeError('subscribe: onEvent must be a function');
      return rawTopics.subscribe(topic, { ...subscribeOptions, onEvent });
    },
    stream: ((path: string, ...args: unknown[]) => streams.get(path, args, {})) as Client<Api>['stream'],
    streamWith: ((streamOptions: StreamOptions, path: string, ...args: unknown[]) =>
      streams.get(path, args, streamOptions)) as Client<Api>['streamWith'],
    on(topic, event) {
      const $latest = atom<EventEnvelope | undefined>(undefined);
      onMount($latest, () =>
        client.subscribe(topic, (envelope) => {
          if (event === undefined || envelope.event === event) $latest.set(envelope);
        }),
      );
      return $latest;
    },
    presence: (topic) => joining(PRESENCE_STREAM, topic),
    cursors: (topic) => joining(CURSORS_STREAM, topic),
    moveCursor(topic, data) {
      latest.send(`cursor\u0000${topic}`, () =>
        calls.call({ idempotent: false }, CURSOR_MOVE_PATH, [topic, data]).catch((error: Error) => {
          // Said once per topic (moves come many a second); the next move is tried all the same.
          if (!cursorWarnings.has(topic)) console.warn('[wirestore] moveCursor:', error.message);
          cursorWarnings.add(topic);
        }),
      );
    },
    publish(topic, event, data) {
      connection.start();
      if (connection.send({ type: 'publish', topic, event, data }) !== 'sent')
        console.warn(`[wirestore] not connected: the publish to "${topic}" was dropped`);
    },
    coalesced: $coalesced,
    onSignal(listener) {
      signalListeners.add(listener);
      return () => signalListeners.delete(listener);
    },
    onRequest: (event, handler) =>
      answerRequests(client.onSignal, (id, answer) => calls.call({}, REPLY_PATH, [id, answer]), event, handler),
    close: () => {
      connection.close();
      offline?.close();
    },
  };
  let recording: Promise<unknown> | undefined;
  const devtoolsReady = () =>
    (recording ??= sharingReady()
      .then(() => import('../devtools/recorder'))
      .then(({ startRecording }) => startRecording(client))
      .catch((error: unknown) => {
        console.warn('[wirestore] devtools could not start:', error);
      }));
  if (process.env.NODE_ENV !== 'production') {
    clientInternals.set(client, {
      client: client as Client,
      counts,
      streams,
      socket: connection.config,
      url: typeof options.url === 'string' ? options.url : undefined,
      queue: () => offline?.current(),
      tabRole: () => tabRole?.get(),
    });
    if (options.devtools) void devtoolsReady();
  }

  // A test harness (wirestore/testing) that prepared this list before the page loaded reads
  // each client's state from it; otherwise nothing is kept.
  (globalThis as { __wirestoreClients?: unknown[] }).__wirestoreClients?.push({ client, counts, streams });
  return client;
}
