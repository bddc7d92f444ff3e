import { randomUUID } from 'node:crypto';
import type { TemplatedApp } from 'uWebSockets.js';
import { CloseCode } from '../protocol/close-codes';
import type { Codec } from '../protocol/codec';
import { CURSORS_STREAM, CURSOR_MOVE_PATH, LOAD_MORE_PATH, PRESENCE_STREAM, PROTOCOL_VERSION, type ServerLimits } from '../protocol/frames';
import { jsonCodec } from '../protocol/json-codec';
import { msgpackCodec } from '../protocol/msgpack-codec';
import { flattenApi } from './api-registry';
import { Coalescer } from './coalescer';
import type { Context, PublishOptions } from './context';
import { FrameHandler } from './frame-handler';
import { IdempotencyWindow } from './idempotency';
import type { CoalescedMessage, LiveHub } from './live-hub';
import { HUB_DEFAULTS, type HubOptions } from './options';
import { cursorTopic, PresenceTracker, presenceTopic } from './presence';
import { startPressureSignal, startSlowConsumerWatchdog } from './load-watch';
import { PublishTiming } from './publish-timing';
import { KeyedBuckets, TokenBucket } from './rate-limit';
import { ReplayBuffer } from './replay-buffer';
import { RpcDispatcher } from './rpc-dispatch';
import { sendFrame, type LiveSocket, type SocketData } from './socket-data';
import { channel, readPage, stream } from './stream-definition';
import { SubscribeFlow, type SubscribeDeps } from './subscribe-flow';
import { Topics, wireTopic } from './topics';
import { handleUpgrade } from './upgrade';
import { uwsIsNative, warnIfUwsFallback } from './uws';

export type { LiveHub, LoadedStream, CoalescedMessage, HubStats } from './live-hub';

/** Every socket joins this topic, so one publish tells all clients of a pressure change. */
const PRESSURE_TOPIC = '__pressure';

/**
 * Adds the wirestore WebSocket route to a uWS app: upgrade with auth and limits, RPC dispatch,
 * topics and streams, coalesced sends, pressure, presence.
 * @internal Use `attach` or `createServer`.
 */
export function createHub<User>(app: TemplatedApp, options: HubOptions<User>): LiveHub {
  const settings = { ...HUB_DEFAULTS, ...options };
  const logger = options.logger ?? console;
  warnIfUwsFallback((message) => logger.error(message));

  const codecs = new Map<string, Codec>([jsonCodec, msgpackCodec, ...(options.codecs ?? [])].map((codec) => [codec.name, codec]));
  const epoch = randomUUID();
  // A clock read on every publish would cost more than the rest of the replay bookkeeping; the
  // buffer's age limit only needs it to within the watchdog's 100 ms tick.
  let coarseNow = Date.now();
  const replay = new ReplayBuffer(options.replay, () => coarseNow);
  const topics = new Topics(app, [...codecs.values()], replay);
  const sockets = new Map<string, LiveSocket>();
  const coalescer = new Coalescer(settings.coalesceHighWaterBytes, settings.coalesceWindowBytes);
  const timing = new PublishTiming();
  const limits: ServerLimits = {
    maxPayloadBytes: settings.maxPayloadBytes,
    maxBatchSize: settings.maxBatchSize,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
  };
  const callLimit = options.rateLimit?.calls === false ? undefined : (options.rateLimit?.calls ?? { perSecond: 100, burst: 200 });
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

  // ---- presence and cursors ----
  const presence =
    options.presence &&
    new PresenceTracker<User>(
      options.presence,
      (topic, event, data) => publish(topic, event, data),
      (topic, userKey) => {
        timing.cancel(`cursor\u0000${topic}\u0000${userKey}`);
        publish(cursorTopic(topic), 'remove', { key: userKey }, { seq: false });
      },
    );
  topics.onMembership = (ws, topic, joined) => {
    if (!presence) return;
    const { connectionId, user } = ws.getUserData();
    if (joined) presence.join(topic, connectionId, user as User);
    else presence.leave(topic, connectionId, user as User);
  };
  const moveCursor = (ctx: Context, topic: string, data: Record<string, unknown>) => {
    if (!presence?.tracks(topic)) return;
    const key = presence.userKey(ctx.user as User, ctx.connectionId);
    const interval = options.presence?.cursorIntervalMs ?? 50;
    timing.throttle(`cursor\u0000${topic}\u0000${key}`, interval, () =>
      publishCoalesced({ key, topic: cursorTopic(topic), event: 'update', data: { ...data, key } }),
    );
  };

  // ---- API: the app's handlers and streams, plus the shim's own ----
  const { handlers, streams } = flattenApi(options.api);
  if (presence) {
    const watched = (_ctx: Context<never>, topic: string) => topic;
    streams.set(PRESENCE_STREAM, {
      ...stream(
        (_ctx, topic: string) => presenceTopic(topic),
        (_ctx, topic: string) => presence.members(topic),
        { merge: 'presence' },
      ),
      accessTopic: watched as never,
    });
    streams.set(CURSORS_STREAM, {
      ...channel((_ctx, topic: string) => cursorTopic(topic), { merge: 'cursor' }),
      accessTopic: watched as never,
    });
  }
  const flow = new SubscribeFlow({
    epoch,
    topics,
    replay,
    streams,
    canSubscribe: options.canSubscribe as SubscribeDeps['canSubscribe'],
    logger,
  });
  handlers.set(LOAD_MORE_PATH, (ctx, path, args, cursor) => flow.loadMore(ctx as Context, path, args, cursor));
  handlers.set(CURSOR_MOVE_PATH, (ctx, topic, data) => {
    const context = ctx as Context;
    // Only members of a topic may move a cursor on it.
    if (
      typeof topic === 'string' &&
      sockets.get(context.connectionId)?.getUserData().topics.has(topic) &&
      typeof data === 'object' &&
      data !== null
    ) {
      moveCursor(context, topic, data as Record<string, unknown>);
    }
    return null;
  });
  const dispatcher = new RpcDispatcher(handlers, new IdempotencyWindow(options.idempotency), logger);
  const frames = new FrameHandler({
    maxDepth: settings.maxDepth,
    maxBatchSize: settings.maxBatchSize,
    closeAfterRejections: options.rateLimit?.closeAfterRejections ?? 100,
    dispatcher,
    flow,
    topics,
    coalescer,
    canPublish: options.canPublish as never,
    logger,
    debug: options.debug ?? false,
  });

  // ---- pressure, and the slow-consumer watchdog ----
  const sampler = startPressureSignal(options.pressure ?? {}, topics, sockets, logger, ({ active, reason }) => {
    for (const codec of codecs.values()) {
      const payload = codec.encode({ type: 'pressure', active, reason });
      app.publish(wireTopic(codec.name, PRESSURE_TOPIC), payload, typeof payload !== 'string');
    }
  });
  const watchdog = startSlowConsumerWatchdog(sockets, settings.maxBackpressureBytes, () => (coarseNow = Date.now()));

  app.ws<SocketData>(settings.path, {
    // uWS drops a frame over its own limit with a bare 1006 that tells the client nothing, so it
    // gets a generous transport cap and the real limit is checked below, answered with 1009.
    maxPayloadLength: Math.max(settings.maxPayloadBytes * 16, settings.maxPayloadBytes + 64 * 1024),
    idleTimeout: settings.idleTimeoutSeconds,
    maxBackpressure: settings.maxBackpressureBytes * 4,
    closeOnBackpressureLimit: 1,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) =>
      handleUpgrade<User>(
        {
          codecs,
          authenticate: options.authenticate,
          admit: upgradesPerIp ? (ip) => upgradesPerIp.take(ip) : undefined,
          logger,
          accept(user, codec, ip): SocketData {
            const connectionId = `${(++connectionCounter).toString(36)}`;
            const ctx: Context<User | undefined> = {
              user,
              connectionId,
              publish,
              signal,
              throttle: (topic, event, data, intervalMs) =>
                timing.throttle(`${topic}\u0000${event}`, intervalMs, () => publish(topic, event, data)),
              debounce: (topic, event, data, quietMs) =>
                timing.debounce(`${topic}\u0000${event}`, quietMs, () => publish(topic, event, data)),
              moveCursor: (topic, data) => moveCursor(ctx as Context, topic, data),
            };
            const callBucket = callLimit && new TokenBucket(callLimit.perSecond, callLimit.burst);
            return { user, connectionId, codec, ip, closed: false, topics: new Set(), ctx: ctx as Context, callBucket, rejectedInARow: 0 };
          },
        },
        res,
        req,
        context,
      ),
    open(ws) {
      const data = ws.getUserData();
      stats.connectionsOpened++;
      sockets.set(data.connectionId, ws);
      ws.subscribe(wireTopic(data.codec.name, PRESSURE_TOPIC));
      sendFrame(ws, { type: 'hello', version: PROTOCOL_VERSION, epoch, codec: data.codec.name, connectionId: data.connectionId, limits });
      if (sampler.snapshot.active) sendFrame(ws, { type: 'pressure', active: true, reason: sampler.snapshot.reason });
    },
    message(ws, message) {
      stats.framesIn++;
      stats.bytesIn += message.byteLength;
      if (message.byteLength > settings.maxPayloadBytes) {
        ws.end(CloseCode.MESSAGE_TOO_BIG, `frame exceeds ${settings.maxPayloadBytes} bytes`);
        return;
      }
      try {
        frames.receive(ws, message);
      } catch (error) {
        // Last line of defence: one connection's bad frame must never take the process down.
        logger.error('[wirestore] unexpected error while handling a frame:', error);
      }
    },
    drain(ws) {
      coalescer.flush(ws);
    },
    close(ws) {
      const data = ws.getUserData();
      data.closed = true;
      sockets.delete(data.connectionId);
      topics.leaveAll(ws);
    },
  });

  const contextFor = (user: unknown): Context => ({
    user,
    connectionId: 'ssr',
    publish,
    signal,
    throttle: () => {},
    debounce: () => {},
    moveCursor: () => {},
  });

  return {
    epoch,
    uwsNative: uwsIsNative,
    get connectionCount() {
      return sockets.size;
    },
    get pressure() {
      return sampler.snapshot;
    },
    stats,
    onPressure: (listener) => sampler.onTransition(listener),
    publish,
    sendCoalesced(connectionId, message) {
      const ws = sockets.get(connectionId);
      if (!ws) return false;
      coalescer.set(ws, message.key, message);
      return true;
    },
    publishCoalesced,
    signal,
    disconnect(connectionId, code = CloseCode.NORMAL, reason = '') {
      const ws = sockets.get(connectionId);
      if (!ws) return false;
      ws.end(code, reason);
      return true;
    },
    async loadStream(path, context, ...args) {
      const definition = streams.get(path);
      if (!definition?.load) throw new Error(`wirestore: no stream with a loader at "${path}"`);
      const ctx = contextFor(context.user);
      const topic = typeof definition.topic === 'string' ? definition.topic : definition.topic(ctx as never, ...(args as never[]));
      const seq = topics.currentSeq(topic);
      const page = readPage(await definition.load({ ...ctx, cursor: undefined } as never, ...(args as never[])));
      return { ...page, topic, epoch, seq, merge: definition.merge };
    },
    closeConnections() {
      sampler.stop();
      clearInterval(watchdog);
      timing.stop();
      presence?.stop();
      for (const ws of [...sockets.values()]) ws.end(CloseCode.GOING_AWAY, 'server shutting down');
    },
  };
}
