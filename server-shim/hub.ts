import { randomUUID } from 'node:crypto';
import type { TemplatedApp } from 'uWebSockets.js';
import { CloseCode } from '../protocol/close-codes';
import { ErrorCode } from '../protocol/error-codes';
import type { Codec } from '../protocol/codec';
import { LOAD_MORE_PATH, type PublishFrame, type ServerLimits } from '../protocol/frames';
import { jsonCodec } from '../protocol/json-codec';
import { msgpackCodec } from '../protocol/msgpack-codec';
import { flattenApi } from './api-registry';
import { Coalescer } from './coalescer';
import { contextFactory } from './connection-context';
import { ConnectionLimits } from './connection-limits';
import type { Context, PublishOptions } from './context';
import { FrameHandler } from './frame-handler';
import { IdempotencyWindow } from './idempotency';
import type { CoalescedMessage, LiveHub } from './live-hub';
import { startPressureSignal, startSlowConsumerWatchdog } from './load-watch';
import { opaqueKeys } from './opaque-key';
import { HUB_DEFAULTS, type HubOptions } from './options';
import { wirePresence } from './presence-streams';
import { PublishTiming } from './publish-timing';
import { KeyedBuckets } from './rate-limit';
import { ReplayBuffer } from './replay-buffer';
import { RpcDispatcher } from './rpc-dispatch';
import { newSocketData, sendFrame, type LiveSocket, type SocketData } from './socket-data';
import { SubscribeFlow, type SubscribeDeps } from './subscribe-flow';
import { Topics } from './topics';
import { originPolicy } from './upgrade';
import { socketBehavior } from './socket-behavior';
import { loadStreamForSsr } from './ssr-loader';
import { UserConnections } from './user-connections';
import { userIdKey } from './user-key';
import { requireNativeUws, uwsIsNative } from './uws';

export type { LiveHub, LoadedStream, CoalescedMessage, HubStats } from './live-hub';

/** Topics whose state and replay are swept for age every this many watchdog ticks (100 ms each). */
const SWEEP_EVERY_TICKS = 10;

/**
 * Adds the wirestore WebSocket route to a uWS app: upgrade with origin check, auth and limits, RPC
 * dispatch, topics and streams, coalesced sends, pressure, presence.
 * @internal Use `attach` or `createServer`.
 */
export function createHub<User>(app: TemplatedApp, options: HubOptions<User>): LiveHub {
  const settings = { ...HUB_DEFAULTS, ...options };
  requireNativeUws();
  const logger = options.logger ?? console;

  const codecs = new Map<string, Codec>([jsonCodec, msgpackCodec, ...(options.codecs ?? [])].map((codec) => [codec.name, codec]));
  const epoch = randomUUID();
  // A clock read on every publish would cost more than the rest of the replay bookkeeping; the
  // buffer's age limit only needs it to within the watchdog's 100 ms tick.
  let coarseNow = Date.now();
  const replay = new ReplayBuffer(options.replay, () => coarseNow);
  const topics = new Topics(app, [...codecs.values()], replay, epoch);
  const sockets = new Map<string, LiveSocket>();
  const users = new UserConnections();
  const coalescer = new Coalescer(settings.coalesceHighWaterBytes, settings.coalesceWindowBytes);
  const timing = new PublishTiming();
  const limits = new ConnectionLimits(options.rateLimit, settings.maxSubscriptionsPerConnection);
  const publicKey = opaqueKeys();
  const serverLimits: ServerLimits = {
    maxPayloadBytes: settings.maxPayloadBytes,
    maxBatchSize: settings.maxBatchSize,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
  };
  const upgradeLimit =
    options.rateLimit?.upgradesPerIp === false ? undefined : (options.rateLimit?.upgradesPerIp ?? { perSecond: 20, burst: 40 });
  const upgradesPerIp = upgradeLimit && new KeyedBuckets(upgradeLimit.perSecond, upgradeLimit.burst);
  let connectionCounter = 0;
  const stats = { framesIn: 0, bytesIn: 0, connectionsOpened: 0 };

  const publish = (topic: string, event: string, data: unknown, publishOptions?: PublishOptions) =>
    topics.publish(topic, event, data, publishOptions?.seq !== false);
  const signal = (connectionId: string, event: string, data: unknown) => {
    const ws = sockets.get(connectionId);
    return ws ? sendFrame(ws, { type: 'signal', event, data }) : false;
  };
  const publishCoalesced = (message: CoalescedMessage) => {
    for (const ws of topics.membersOf(message.topic)) coalescer.set(ws, message.key, message);
  };

  // ---- API: the app's handlers and streams, plus the shim's own ----
  const { handlers, streams } = flattenApi(options.api);
  const presence =
    options.presence &&
    wirePresence(
      options.presence,
      { publish, publishCoalesced, timing, limits, socketOf: (id) => sockets.get(id), publicKey },
      handlers,
      streams,
    );
  topics.onMembership = (ws, topic, joined) => {
    if (!presence) return;
    const { connectionId, user } = ws.getUserData();
    if (joined) presence.tracker.join(topic, connectionId, user as User);
    else presence.tracker.leave(topic, connectionId, user as User);
  };
  const userKey = (user: unknown, connectionId: string) =>
    presence ? presence.tracker.userKey(user as User, connectionId) : (userIdKey(user) ?? `connection:${connectionId}`);
  const makeContext = contextFactory({
    publish,
    signal,
    throttle: (topic, event, data, intervalMs) => timing.throttle(`${topic}\u0000${event}`, intervalMs, () => publish(topic, event, data)),
    debounce: (topic, event, data, quietMs) => timing.debounce(`${topic}\u0000${event}`, quietMs, () => publish(topic, event, data)),
    moveCursor: (ctx, topic, data) => presence?.moveCursor(ctx, topic, data),
  });

  const hubLink = { makeContext };

  const flow = new SubscribeFlow({
    topics,
    replay,
    streams,
    canSubscribe: options.canSubscribe as SubscribeDeps['canSubscribe'],
    logger,
    maxSubscriptions: settings.maxSubscriptionsPerConnection,
  });
  handlers.set(LOAD_MORE_PATH, (ctx, path, args, cursor) => flow.loadMore(ctx as Context, path, args, cursor));
  const idempotency = new IdempotencyWindow(options.idempotency);
  const customScope = options.idempotency?.scopeOf;
  const dispatcher = new RpcDispatcher(handlers, idempotency, logger, (data) => {
    if (customScope) return customScope(data.user);
    // No user id: the client instance, which no other client knows, else this connection alone.
    return userIdKey(data.user) ?? (data.instance !== undefined ? `instance:${data.instance}` : `connection:${data.connectionId}`);
  });
  const frames = new FrameHandler({
    maxDepth: settings.maxDepth,
    maxBatchSize: settings.maxBatchSize,
    limits,
    dispatcher,
    flow,
    topics,
    coalescer,
    canPublish: options.canPublish as never,
    publishFromClient(ws: LiveSocket, frame: PublishFrame) {
      const { user, connectionId } = ws.getUserData();
      topics.publish(frame.topic, frame.event, frame.data, true, publicKey(userKey(user, connectionId)));
    },
    logger,
    debug: options.debug ?? false,
  });

  // ---- pressure, the slow-consumer watchdog, and sweeps of state nobody needs ----
  const sampler = startPressureSignal(options.pressure ?? {}, topics, sockets, logger, ({ active, reason }) => {
    const payloads = new Map([...codecs.values()].map((codec) => [codec, codec.encode({ type: 'pressure', active, reason })]));
    for (const ws of sockets.values()) {
      const payload = payloads.get(ws.getUserData().codec)!;
      ws.send(payload, typeof payload !== 'string');
    }
  });
  let ticks = 0;
  const watchdog = startSlowConsumerWatchdog(sockets, settings.maxBackpressureBytes, () => {
    coarseNow = Date.now();
    if (++ticks % SWEEP_EVERY_TICKS !== 0) return;
    replay.sweep();
    topics.sweep();
    idempotency.sweep();
  });

  app.ws<SocketData>(
    settings.path,
    socketBehavior<User>({
      settings,
      maxReplayBytes: replay.maxTopicBytes,
      upgrade: {
        codecs,
        authenticate: options.authenticate,
        admit: upgradesPerIp ? (ip) => upgradesPerIp.take(ip) : undefined,
        admitOrigin: originPolicy(options.allowedOrigins),
        trustProxy: options.trustProxy === true,
        logger,
        accept: (user, codec): SocketData => newSocketData(hubLink, user, (++connectionCounter).toString(36), codec),
      },
      epoch,
      limits: serverLimits,
      sockets,
      users,
      frames,
      topics,
      coalescer,
      pressure: () => sampler.snapshot,
      stats,
      logger,
    }),
  );

  return {
    epoch,
    uwsNative: uwsIsNative(),
    get connectionCount() {
      return sockets.size;
    },
    get pressure() {
      return sampler.snapshot;
    },
    stats,
    get memory() {
      return { topics: topics.size, replayEvents: replay.size, replayBytes: replay.bytes, idempotencyScopes: idempotency.scopeCount };
    },
    onPressure: (listener) => sampler.onTransition(listener),
    replaceApi(api) {
      // In place: the dispatcher and the stream loader hold these maps. The shim's own entries
      // (presence, cursors: `__` paths) stay.
      const next = flattenApi(api);
      for (const map of [handlers, streams]) for (const path of [...map.keys()]) if (!path.startsWith('__')) map.delete(path);
      for (const [path, handler] of next.handlers) handlers.set(path, handler);
      for (const [path, definition] of next.streams) streams.set(path, definition);
    },
    publish,
    sendCoalesced(connectionId, message) {
      const ws = sockets.get(connectionId);
      if (!ws) return false;
      coalescer.set(ws, message.key, message);
      return true;
    },
    publishCoalesced,
    signal,
    sendToUser(userId, event, data) {
      let reached = 0;
      for (const ws of users.of(userId)) if (sendFrame(ws, { type: 'signal', event, data })) reached++;
      return reached;
    },
    disconnect(connectionId, code = CloseCode.NORMAL, reason = '') {
      const ws = sockets.get(connectionId);
      if (!ws) return false;
      ws.end(code, reason);
      return true;
    },
    unsubscribe(connectionId, topic, reason = 'unsubscribed by the server') {
      const ws = sockets.get(connectionId);
      return ws ? flow.revoke(ws, topic, { code: ErrorCode.FORBIDDEN, message: reason }) : false;
    },
    async recheckSubscriptions(connectionId) {
      const targets = connectionId === undefined ? [...sockets.values()] : [sockets.get(connectionId)].filter((ws) => ws !== undefined);
      let ended = 0;
      for (const ws of targets) ended += await flow.recheck(ws);
      return ended;
    },
    loadStream: (path, context, ...args) => loadStreamForSsr(streams, topics, makeContext, path, context, args),
    async drain(timeoutMs = 10_000) {
      frames.draining = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([dispatcher.idle(), timedOut]);
      clearTimeout(timer);
    },
    closeConnections() {
      sampler.stop();
      clearInterval(watchdog);
      timing.stop();
      presence?.tracker.stop();
      for (const ws of [...sockets.values()]) ws.end(CloseCode.GOING_AWAY, 'server shutting down');
    },
  };
}
