import { randomUUID } from 'node:crypto';
import type { TemplatedApp } from 'uWebSockets.js';
import type { Codec } from '../protocol/codec';
import { LOAD_MORE_PATH, type ServerLimits } from '../protocol/frames';
import { jsonCodec } from '../protocol/json-codec';
import { msgpackCodec } from '../protocol/msgpack-codec';
import { flattenApi } from './api-registry';
import { Coalescer } from './coalescer';
import { contextFactory } from './connection-context';
import { ConnectionLimits } from './connection-limits';
import type { Context } from './context';
import { startEngine } from './engine';
import { engineHost } from './engine-host';
import { FrameHandler } from './frame-handler';
import { hubApi, signalOf } from './hub-api';
import { hubPublishing } from './hub-publishing';
import { IdempotencyWindow } from './idempotency';
import type { LiveHub } from './live-hub';
import type { PressureSampler } from './pressure';
import { startPressureSignal, startSlowConsumerWatchdog } from './load-watch';
import { memoryEngine } from './memory-engine';
import { opaqueKeys } from './opaque-key';
import { HUB_DEFAULTS, type HubOptions } from './options';
import { wirePresence } from './presence-streams';
import { PublishTiming } from './publish-timing';
import { ReplayBuffer } from './replay-buffer';
import { RpcDispatcher } from './rpc-dispatch';
import { newSocketData, type LiveSocket, type SocketData } from './socket-data';
import { socketBehavior } from './socket-behavior';
import { SubscribeFlow, type SubscribeDeps } from './subscribe-flow';
import { Topics } from './topics';
import { wireUserRequests } from './request-wiring';
import type { UserRequests } from './user-requests';
import { originPolicy, upgradeLimiter } from './upgrade';
import { UserConnections } from './user-connections';
import { userIdKey } from './user-key';
import { requireNativeUws } from './uws';

export type { LiveHub, LoadedStream, CoalescedMessage, HubStats } from './live-hub';

/** Topics whose state and replay are swept for age every this many watchdog ticks (100 ms each). */
const SWEEP_EVERY_TICKS = 10;

/**
 * Adds the wirestore WebSocket route to a uWS app. The composition root: it builds the parts
 * (engine, topics, presence, calls, subscriptions, pressure) and wires them; each lives in its own
 * module. @internal Use `attach` or `createServer`.
 */
export function createHub<User>(app: TemplatedApp, options: HubOptions<User>): LiveHub {
  const settings = { ...HUB_DEFAULTS, ...options };
  requireNativeUws();
  const logger = options.logger ?? console;
  const codecs = new Map<string, Codec>([jsonCodec, msgpackCodec, ...(options.codecs ?? [])].map((codec) => [codec.name, codec]));
  const epoch = randomUUID();
  const engineChoice = options.engine ?? memoryEngine();

  // ---- where topics live: this process's fan-out and replay, sequenced by the engine ----
  // A clock read on every publish would cost more than the rest of the replay bookkeeping; the
  // buffer's age limit only needs it to within the watchdog's 100 ms tick.
  let coarseNow = Date.now();
  const replay = new ReplayBuffer(options.replay, () => coarseNow);
  const topics = new Topics(app, [...codecs.values()], replay, epoch, engineChoice.name === 'memory');
  const sockets = new Map<string, LiveSocket>();
  const coalescer = new Coalescer(settings.coalesceHighWaterBytes, settings.coalesceWindowBytes);
  // Built further down, and only used once traffic flows: the engine is started before them.
  const late: { flow?: SubscribeFlow; sampler?: PressureSampler; requests?: UserRequests } = {};
  const users = new UserConnections(
    (key) => engine.userConnected(key),
    (key) => engine.userDisconnected(key),
  );
  const engine = startEngine(
    engineChoice,
    engineHost({ topics, users, coalescer, logger, flow: () => late.flow!, sampler: () => late.sampler!, requests: () => late.requests! }),
  );
  topics.onFree = (topic) => engine.release(topic);

  const stats = { framesIn: 0, bytesIn: 0, connectionsOpened: 0, publishFailures: 0 };
  const timing = new PublishTiming();
  const limits = new ConnectionLimits(options.rateLimit, settings.maxSubscriptionsPerConnection);
  const publicKey = opaqueKeys(() => engine.keySecret());
  const { publish, publishConfirmed, publishFromClient } = hubPublishing({ engine, logger, stats });
  const publishCoalesced = engine.publishCoalesced;
  const signal = signalOf(sockets);

  // ---- API: the app's handlers and streams, plus the shim's own ----
  const { handlers, streams } = flattenApi(options.api);
  const presence =
    options.presence &&
    wirePresence(
      options.presence,
      {
        publish,
        publishCoalesced,
        timing,
        limits,
        socketOf: (id) => sockets.get(id),
        publicKey,
        cluster: engine.presence && { ...engine.presence, logger },
      },
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
    publishConfirmed,
    signal,
    throttle: (topic, event, data, intervalMs) => timing.throttle(`${topic}\u0000${event}`, intervalMs, () => publish(topic, event, data)),
    debounce: (topic, event, data, quietMs) => timing.debounce(`${topic}\u0000${event}`, quietMs, () => publish(topic, event, data)),
    moveCursor: (ctx, topic, data) => presence?.moveCursor(ctx, topic, data),
  });

  // ---- subscriptions, calls and frames ----
  const flow = (late.flow = new SubscribeFlow({
    topics,
    replay,
    engine,
    streams,
    canSubscribe: options.canSubscribe as SubscribeDeps['canSubscribe'],
    logger,
    maxSubscriptions: settings.maxSubscriptionsPerConnection,
  }));
  const requests = (late.requests = wireUserRequests(engine, handlers));
  handlers.set(LOAD_MORE_PATH, (ctx, path, args, cursor) => flow.loadMore(ctx as Context, path, args, cursor));
  const idempotency = new IdempotencyWindow(options.idempotency);
  const customScope = options.idempotency?.scopeOf;
  const dispatcher = new RpcDispatcher(
    handlers,
    engine.runOnce ?? idempotency,
    logger,
    (data) => {
      if (customScope) return customScope(data.user);
      // No user id: the client instance, which no other client knows, else this connection alone.
      return userIdKey(data.user) ?? (data.instance !== undefined ? `instance:${data.instance}` : `connection:${data.connectionId}`);
    },
    engine.callLimit,
  );
  const frames = new FrameHandler({
    maxDepth: settings.maxDepth,
    maxBatchSize: settings.maxBatchSize,
    limits,
    dispatcher,
    flow,
    topics,
    coalescer,
    canPublish: options.canPublish as never,
    publishFromClient: (ws, frame) => {
      const { user, connectionId } = ws.getUserData();
      return publishFromClient(frame.topic, frame.event, frame.data, publicKey(userKey(user, connectionId)));
    },
    logger,
    debug: options.debug ?? false,
  });

  // ---- pressure, the slow-consumer watchdog, and sweeps of state nobody needs ----
  const sampler = (late.sampler = startPressureSignal(options.pressure ?? {}, topics, sockets, logger, ({ active, reason }) => {
    const payloads = new Map([...codecs.values()].map((codec) => [codec, codec.encode({ type: 'pressure', active, reason })]));
    for (const ws of sockets.values()) {
      const payload = payloads.get(ws.getUserData().codec)!;
      ws.send(payload, typeof payload !== 'string');
    }
  }));
  let ticks = 0;
  const watchdog = startSlowConsumerWatchdog(sockets, settings.maxBackpressureBytes, () => {
    coarseNow = Date.now();
    if (++ticks % SWEEP_EVERY_TICKS !== 0) return;
    replay.sweep();
    topics.sweep();
    idempotency.sweep();
  });

  const serverLimits: ServerLimits = {
    maxPayloadBytes: settings.maxPayloadBytes,
    maxBatchSize: settings.maxBatchSize,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
  };
  let connectionCounter = 0;
  app.ws<SocketData>(
    settings.path,
    socketBehavior<User>({
      settings,
      maxReplayBytes: replay.maxTopicBytes,
      upgrade: {
        codecs,
        authenticate: options.authenticate,
        admit: upgradeLimiter(options.rateLimit),
        admitOrigin: originPolicy(options.allowedOrigins),
        trustProxy: options.trustProxy === true,
        logger,
        accept: (user, codec): SocketData => newSocketData({ makeContext }, user, (++connectionCounter).toString(36), codec),
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

  return hubApi({
    epoch,
    engineName: engineChoice.name,
    engine,
    sockets,
    topics,
    replay,
    idempotency,
    coalescer,
    sampler,
    stats,
    flow,
    frames,
    dispatcher,
    streams,
    makeContext,
    requests,
    publish,
    publishConfirmed,
    publishCoalesced,
    signal,
    replaceApi(api) {
      // In place: the dispatcher and the stream loader hold these maps. The shim's own entries
      // (presence, cursors: `__` paths) stay.
      const next = flattenApi(api);
      for (const map of [handlers, streams]) for (const path of [...map.keys()]) if (!path.startsWith('__')) map.delete(path);
      for (const [path, handler] of next.handlers) handlers.set(path, handler);
      for (const [path, definition] of next.streams) streams.set(path, definition);
    },
    timers: {
      stop() {
        sampler.stop();
        clearInterval(watchdog);
        timing.stop();
        presence?.tracker.stop();
        requests.stop();
      },
    },
  });
}
