import { randomUUID } from 'node:crypto';
import type { TemplatedApp } from 'uWebSockets.js';
import { CloseCode } from '../protocol/close-codes';
import type { Codec } from '../protocol/codec';
import { ErrorCode } from '../protocol/error-codes';
import { LOAD_MORE_PATH, PROTOCOL_VERSION, type BatchedCall, type BatchFrame, type MergeConfig, type ServerLimits, type StreamPage } from '../protocol/frames';
import { isInvalidCall, readCall, readClientFrame } from '../protocol/client-frame-guard';
import { jsonCodec } from '../protocol/json-codec';
import { msgpackCodec } from '../protocol/msgpack-codec';
import { checkStructure, isRecord } from '../protocol/structure';
import { flattenApi } from './api-registry';
import type { Context, PublishOptions } from './context';
import { HUB_DEFAULTS, type HubOptions } from './options';
import { IdempotencyWindow } from './idempotency';
import { ReplayBuffer } from './replay-buffer';
import { RpcDispatcher } from './rpc-dispatch';
import { SubscribeFlow, type SubscribeDeps } from './subscribe-flow';
import { readPage } from './stream-definition';
import { sendFrame, type LiveSocket, type SocketData } from './socket-data';
import { Topics, wireTopic } from './topics';
import { handleUpgrade } from './upgrade';
import { uwsIsNative, warnIfUwsFallback } from './uws';

/** The realtime side of a server: what `attach` returns and `createServer` builds on. */
export interface LiveHub {
  /** Random id of this process start; clients compare it to tell a restarted server's seq apart. */
  readonly epoch: string;
  /** Whether uWS runs natively (false: its JS fallback, which start-up warns about). */
  readonly uwsNative: boolean;
  /** Open connections. */
  readonly connectionCount: number;
  /**
   * Publishes an event to every subscriber of `topic`, stamping the topic's next seq (from 1)
   * unless `{ seq: false }`. Returns the seq stamped.
   * @example hub.publish('todos', 'created', todo)
   */
  publish(topic: string, event: string, data: unknown, options?: PublishOptions): number | undefined;
  /** Sends a point-to-point message to one connection; false if it is gone. */
  signal(connectionId: string, event: string, data: unknown): boolean;
  /**
   * Closes one connection with `code` (e.g. 4401 when its session is revoked: the client stops
   * for good and rejects its pending calls). False if it is gone.
   */
  disconnect(connectionId: string, code?: number, reason?: string): boolean;
  /** Closes every socket with 1001 (going away). */
  closeConnections(): void;
  /**
   * Runs a stream's loader outside any socket, for server-side rendering: hand the result to
   * the client's `store.hydrate()` and it starts with data, then resumes from `epoch`/`seq`.
   * @example const todos = await server.loadStream('todos/list', { user: locals.user })
   */
  loadStream(path: string, context: { user?: unknown }, ...args: unknown[]): Promise<LoadedStream>;
}

/** What {@link LiveHub.loadStream} returns: a first page plus the position it reflects. */
export interface LoadedStream extends StreamPage {
  topic: string;
  epoch: string;
  seq: number;
  merge: MergeConfig;
}

/**
 * Adds the wirestore WebSocket route to a uWS app: upgrade with auth, RPC dispatch, topics.
 * @internal Use `attach` or `createServer`.
 */
export function createHub<User>(app: TemplatedApp, options: HubOptions<User>): LiveHub {
  const settings = { ...HUB_DEFAULTS, ...options };
  const logger = options.logger ?? console;
  warnIfUwsFallback((message) => logger.error(message));

  const codecs = new Map<string, Codec>([jsonCodec, msgpackCodec, ...(options.codecs ?? [])].map((codec) => [codec.name, codec]));
  const epoch = randomUUID();
  const replay = new ReplayBuffer(options.replay);
  const topics = new Topics(app, [...codecs.values()], replay);
  const { handlers, streams } = flattenApi(options.api);
  const flow = new SubscribeFlow({ epoch, topics, replay, streams, canSubscribe: options.canSubscribe as SubscribeDeps['canSubscribe'], logger });
  handlers.set(LOAD_MORE_PATH, (ctx, path, args, cursor) => flow.loadMore(ctx as Context, path, args, cursor));
  const dispatcher = new RpcDispatcher(handlers, new IdempotencyWindow(options.idempotency), logger);
  const sockets = new Map<string, LiveSocket>();
  const limits: ServerLimits = {
    maxPayloadBytes: settings.maxPayloadBytes,
    maxBatchSize: settings.maxBatchSize,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
  };
  let connectionCounter = 0;

  /** Async work started from a uWS callback: a failure is logged, never an unhandled rejection. */
  const inBackground = (work: void | Promise<unknown>) => {
    if (work) work.catch((error: unknown) => logger.error('[wirestore] unexpected error in async frame handling:', error));
  };

  const publish = (topic: string, event: string, data: unknown, publishOptions?: PublishOptions) =>
    topics.publish(topic, event, data, publishOptions?.seq !== false);

  const signal = (connectionId: string, event: string, data: unknown) => {
    const ws = sockets.get(connectionId);
    return ws ? sendFrame(ws, { type: 'signal', event, data }) : false;
  };

  const runBatch = async (ws: LiveSocket, frame: BatchFrame) => {
    if (frame.calls.length > settings.maxBatchSize) {
      const message = `a batch may hold at most ${settings.maxBatchSize} calls, got ${frame.calls.length}`;
      const ids = frame.calls.map((call) => (isRecord(call) && typeof call.id === 'number' ? call.id : null));
      for (const id of new Set(ids)) dispatcher.replyError(ws, id, { code: ErrorCode.BATCH_TOO_LARGE, message });
      return;
    }
    const valid: BatchedCall[] = [];
    for (const raw of frame.calls) {
      const call = readCall(raw);
      if (isInvalidCall(call)) dispatcher.replyError(ws, call.id, { code: ErrorCode.INVALID_REQUEST, message: call.message });
      else valid.push(call);
    }
    if (frame.sequential) {
      for (const call of valid) await dispatcher.run(ws, call);
    } else {
      for (const call of valid) inBackground(dispatcher.run(ws, call));
    }
  };

  const receive = (ws: LiveSocket, message: ArrayBuffer) => {
    const data = ws.getUserData();
    let raw: unknown;
    try {
      raw = data.codec.decode(message);
    } catch {
      // Bytes the negotiated codec cannot read mean the peer is not speaking our protocol.
      ws.end(CloseCode.INVALID_FRAME, `malformed ${data.codec.name} frame`);
      return;
    }
    const problem = checkStructure(raw, settings.maxDepth);
    if (problem) {
      const id = isRecord(raw) && typeof raw.id === 'number' ? raw.id : null;
      return dispatcher.replyError(ws, id, { code: ErrorCode.INVALID_REQUEST, message: `frame rejected: ${problem}` });
    }
    const reading = readClientFrame(raw);
    if (reading.kind === 'invalid') return dispatcher.replyError(ws, reading.id, { code: ErrorCode.INVALID_REQUEST, message: reading.message });
    if (reading.kind === 'unknown') {
      if (options.debug) logger.debug(`[wirestore] ignored a frame of unknown type ${JSON.stringify(reading.type)}`);
      return;
    }
    const frame = reading.frame;
    switch (frame.type) {
      case 'call':
        return inBackground(dispatcher.run(ws, frame));
      case 'batch':
        return inBackground(runBatch(ws, frame));
      case 'subscribe':
        return inBackground(flow.subscribe(ws, frame));
      case 'unsubscribe':
        ws.unsubscribe(wireTopic(data.codec.name, frame.topic));
        data.topics.delete(frame.topic);
        return;
      case 'ping':
        return void sendFrame(ws, { type: 'pong' });
    }
  };

  app.ws<SocketData>(settings.path, {
    // uWS drops a frame over its own limit with a bare 1006 that tells the client nothing, so it
    // gets a generous transport cap and the real limit is checked below, answered with 1009.
    maxPayloadLength: Math.max(settings.maxPayloadBytes * 16, settings.maxPayloadBytes + 64 * 1024),
    idleTimeout: settings.idleTimeoutSeconds,
    maxBackpressure: settings.maxBackpressureBytes,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) =>
      handleUpgrade<User>(
        {
          codecs,
          authenticate: options.authenticate,
          logger,
          accept(user, codec, ip): SocketData {
            const connectionId = `${(++connectionCounter).toString(36)}`;
            const ctx: Context<User | undefined> = { user, connectionId, publish, signal };
            return { user, connectionId, codec, ip, closed: false, topics: new Set(), ctx: ctx as Context };
          },
        },
        res,
        req,
        context,
      ),
    open(ws) {
      const data = ws.getUserData();
      sockets.set(data.connectionId, ws);
      sendFrame(ws, { type: 'hello', version: PROTOCOL_VERSION, epoch, codec: data.codec.name, connectionId: data.connectionId, limits });
    },
    message(ws, message) {
      if (message.byteLength > settings.maxPayloadBytes) {
        ws.end(CloseCode.MESSAGE_TOO_BIG, `frame exceeds ${settings.maxPayloadBytes} bytes`);
        return;
      }
      try {
        receive(ws, message);
      } catch (error) {
        // Last line of defence: one connection's bad frame must never take the process down.
        logger.error('[wirestore] unexpected error while handling a frame:', error);
      }
    },
    close(ws) {
      const data = ws.getUserData();
      data.closed = true;
      sockets.delete(data.connectionId);
    },
  });

  return {
    epoch,
    uwsNative: uwsIsNative,
    get connectionCount() {
      return sockets.size;
    },
    publish,
    signal,
    disconnect(connectionId, code = CloseCode.NORMAL, reason = '') {
      const ws = sockets.get(connectionId);
      if (!ws) return false;
      ws.end(code, reason);
      return true;
    },
    async loadStream(path, context, ...args) {
      const stream = streams.get(path);
      if (!stream?.load) throw new Error(`wirestore: no stream with a loader at "${path}"`);
      const ctx: Context<unknown> = { user: context.user, connectionId: 'ssr', publish, signal };
      const topic = typeof stream.topic === 'string' ? stream.topic : stream.topic(ctx as never, ...(args as never[]));
      const seq = topics.currentSeq(topic);
      const page = readPage(await stream.load({ ...ctx, cursor: undefined } as never, ...(args as never[])));
      return { ...page, topic, epoch, seq, merge: stream.merge };
    },
    closeConnections() {
      for (const ws of [...sockets.values()]) ws.end(CloseCode.GOING_AWAY, 'server shutting down');
    },
  };
}
