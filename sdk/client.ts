import { atom, onMount } from 'nanostores';
import type { WirestoreErrorCode } from '../protocol/error-codes';
import {
  CURSOR_MOVE_PATH,
  CURSORS_STREAM,
  LOAD_MORE_PATH,
  PRESENCE_STREAM,
  type BatchedCall,
  type EventEnvelope,
  type ServerFrame,
  type SignalFrame,
  type StreamPage,
} from '../protocol/frames';
import type { CallOptions, Client, ClientOptions, PressureState } from './client-types';
import { codecLoader } from './codec-choice';
import { Connection } from './connection';
import { newIdempotencyKey } from './idempotency-key';
import type { OfflineQueue, OfflineQueueState } from './offline-queue';
import { LatestSender } from './latest-sender';
import { defaultSocketUrl, storageNamespace } from './page-origin';
import { addSuperseded } from './superseded-counts';
import { PendingCalls } from './pending-calls';
import { RpcError } from './rpc-error';
import { safeInvoke } from './safe-invoke';
import { StreamCache, type StreamOptions } from './stream-cache';
import { indexedDbStorage } from './stream-persistence';
import { Subscriptions, type WireHost } from './subscriptions';
import { RawTopics } from './topic-listeners';

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
  const pending = new PendingCalls();
  const subscriptions = new Subscriptions();
  const signalListeners = new Set<(signal: SignalFrame) => void>();
  const $pressure = atom<PressureState>({ active: false, reason: 'NONE' });
  const $coalesced = atom<Readonly<Record<string, number>>>({});
  const latest = new LatestSender(() => $pressure.get().active);
  /** The server's limit once known; 50 (its default) before the first hello. */
  let maxBatchSize = 50;

  /** Sends one call; a call too large for the server rejects at once and is never sent. */
  const sendCall = (call: BatchedCall): boolean => {
    const outcome = connection.send({ type: 'call', ...call });
    if (outcome === 'sent') pending.markSent(call.id);
    else if (outcome === 'too-large') {
      pending.fail(
        call.id,
        new RpcError('PAYLOAD_TOO_LARGE' satisfies WirestoreErrorCode, `${call.path}: the call exceeds the server's maxPayloadBytes`),
      );
    }
    return outcome !== 'not-open';
  };

  const flushUnsent = () => {
    for (const call of pending.unsent()) if (!sendCall(call)) return;
  };

  const handleFrame = (frame: ServerFrame) => {
    if (!('type' in frame) || frame.type === undefined) return subscriptions.deliver(frame);
    switch (frame.type) {
      case 'result':
        return pending.resolve(frame.id, frame.data);
      case 'error':
        if (frame.id === null) return console.warn('[wirestore] the server rejected a frame:', frame.error);
        return pending.fail(frame.id, frame.error);
      case 'subscribed':
        return subscriptions.acknowledge(frame);
      case 'denied':
        return subscriptions.deny(frame);
      case 'unsubscribed':
        return subscriptions.revoke(frame.topic, frame.error);
      case 'signal':
        for (const listener of [...signalListeners]) safeInvoke(listener, frame);
        return;
      case 'pressure':
        return $pressure.set({ active: frame.active, reason: frame.reason });
      case 'coalesced':
        connection.send({ type: 'ack', batch: frame.batch }); // lets the server send the next window
        return $coalesced.set(addSuperseded($coalesced.get(), frame.superseded));
    }
  };

  const connection: Connection = new Connection({
    url: () => options.url ?? defaultSocketUrl(),
    loadCodec: codecLoader(options.codec),
    WebSocket: options.WebSocket,
    backoff: options.reconnect ?? {},
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    heartbeatTimeoutMs: settings.heartbeatTimeoutMs,
    hooks: { onConnect: options.onConnect, onDisconnect: options.onDisconnect, beforeReconnect: options.beforeReconnect },
    debug: options.debug ?? false,
    onOpen(hello) {
      maxBatchSize = hello.limits.maxBatchSize;
      for (const frame of subscriptions.frames()) connection.send(frame);
      flushUnsent();
      void queue?.replay();
    },
    onFrame: handleFrame,
    onDrop(closeClass, code, reason) {
      if (closeClass === 'closed') pending.failAll('CLOSED' satisfies WirestoreErrorCode, 'the client was closed');
      else if (closeClass === 'terminal') {
        pending.failAll(
          'TERMINATED' satisfies WirestoreErrorCode,
          `the server ended the connection (${code}${reason ? `: ${reason}` : ''})`,
          {
            closeCode: code,
            reason,
          },
        );
      } else pending.failSent();
      streams.forEach((stream) => stream.onDisconnected());
    },
  });

  const wire: WireHost = {
    subscribe(subscriber) {
      const ref = subscriptions.add(subscriber);
      connection.start();
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

  const streams = new StreamCache(
    {
      ...wire,
      loadMore: (path, args, cursor) => callWith({}, LOAD_MORE_PATH, [path, args, cursor]) as Promise<StreamPage>,
      call: (path, args) => callWith({}, path, args),
    },
    options.streamStorage ?? indexedDbStorage,
    () => namespace(),
    settings.streamKeepMs,
  );

  const namespace = () => storageNamespace(options.url);
  const $queueState = atom<OfflineQueueState>({ length: 0, entries: [], replaying: false, lastError: undefined });
  let queue: OfflineQueue | undefined;
  // The queue's code loads on demand; calls made meanwhile wait for it (a few ms, once).
  const queueLoading = options.offline?.queue
    ? import('./offline-setup').then(({ createOfflineQueue }) => {
        queue = createOfflineQueue(
          options.offline!,
          namespace(),
          (call) => sendNow(call.path, call.args, settings.callTimeoutMs, call.key),
          () => connection.status.get().state === 'open',
        );
        queue.state.subscribe((state) => $queueState.set(state));
        // Entries left by an earlier page: connect to replay them. (During SSR there is no
        // IndexedDB, the storage is an empty in-memory one, and nothing connects.)
        void queue.refresh().then((entries) => entries.length > 0 && connection.start());
        if (connection.status.get().state === 'open') void queue.replay();
      })
    : undefined;

  let batching: BatchedCall[] | undefined;

  const sendNow = (path: string, args: unknown[], timeoutMs: number, key: string | undefined) => {
    const { call, promise } = pending.add(path, args, timeoutMs, key);
    connection.start();
    if (batching) batching.push(call);
    else sendCall(call);
    return promise;
  };

  const callWith = (callOptions: CallOptions, path: string, args: unknown[]): Promise<never> => {
    const state = connection.status.get().state;
    if (state === 'closed') return Promise.reject(new RpcError('CLOSED' satisfies WirestoreErrorCode, 'the client was closed'));
    if (state === 'terminal')
      return Promise.reject(new RpcError('TERMINATED' satisfies WirestoreErrorCode, 'the server ended the connection'));
    if (typeof path !== 'string' || path.length === 0) {
      return Promise.reject(new TypeError(`call path must be a non-empty string, got ${typeof path}`));
    }
    if (queueLoading && !queue) return queueLoading.then(() => callWith(callOptions, path, args));
    const key = callOptions.idempotent === false ? undefined : (callOptions.idempotencyKey ?? newIdempotencyKey());
    const activeQueue = queue;
    const offline = activeQueue && key !== undefined && (connection.status.get().state !== 'open' || activeQueue.busy);
    // Every call is sent: two calls are two user actions, even when identical. A repeat of one
    // action (a retry, a replayed queue entry) carries the same key, and the server answers it once.
    return (
      offline
        ? (connection.start(), activeQueue.enqueue(path, args, key))
        : sendNow(path, args, callOptions.timeoutMs ?? settings.callTimeoutMs, key)
    ) as Promise<never>;
  };

  const batch = <Result>(calls: () => Result, batchOptions: { sequential?: boolean } = {}): Result => {
    if (batching) return calls(); // nested: part of the outer batch
    batching = [];
    let result: Result;
    let collected: BatchedCall[];
    try {
      result = calls();
    } finally {
      collected = batching;
      batching = undefined;
    }
    if (collected.length === 0) return result;
    if (collected.length > maxBatchSize) {
      for (const call of collected) {
        pending.fail(
          call.id,
          new RpcError(
            'BATCH_TOO_LARGE' satisfies WirestoreErrorCode,
            `a batch may hold at most ${maxBatchSize} calls, got ${collected.length}`,
          ),
        );
      }
      return result;
    }
    const outcome = connection.send({ type: 'batch', calls: collected, sequential: batchOptions.sequential === true });
    if (outcome === 'sent') for (const call of collected) pending.markSent(call.id);
    else if (outcome === 'too-large') {
      for (const call of collected)
        pending.fail(
          call.id,
          new RpcError('PAYLOAD_TOO_LARGE' satisfies WirestoreErrorCode, "the batch exceeds the server's maxPayloadBytes"),
        );
    }
    return result;
  };

  const client: Client<Api> = {
    status: connection.status,
    pressure: $pressure,
    connect: () => connection.start(),
    batch,
    offlineQueue: $queueState,
    call: (path, ...args) => callWith({}, path, args),
    callWith: (callOptions, path, ...args) => callWith(callOptions, path, args),
    subscribe(topic, onEvent, subscribeOptions = {}) {
      if (typeof topic !== 'string' || topic.length === 0) throw new TypeError('subscribe: topic must be a non-empty string');
      if (typeof onEvent !== 'function') throw new TypeError('subscribe: onEvent must be a function');
      return rawTopics.subscribe(topic, { ...subscribeOptions, onEvent });
    },
    stream: ((path: string, ...args: unknown[]) => streams.get(path, args, {})) as Client<Api>['stream'],
    streamWith: ((streamOptions: StreamOptions, path: string, ...args: unknown[]) =>
      streams.get(path, args, streamOptions)) as Client<Api>['streamWith'],
    on(topic, event) {
      const latest = atom<EventEnvelope | undefined>(undefined);
      onMount(latest, () =>
        client.subscribe(topic, (envelope) => {
          if (event === undefined || envelope.event === event) latest.set(envelope);
        }),
      );
      return latest;
    },
    presence: (topic) => streams.get(PRESENCE_STREAM, [topic], {}) as never,
    cursors: (topic) => streams.get(CURSORS_STREAM, [topic], {}) as never,
    moveCursor(topic, data) {
      latest.send(`cursor\u0000${topic}`, () => callWith({ idempotent: false }, CURSOR_MOVE_PATH, [topic, data]));
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
    close: () => {
      connection.close();
      queue?.close();
    },
  };
  return client;
}
