import { CloseCode } from '../protocol/close-codes';
import { ErrorCode } from '../protocol/error-codes';
import { RESERVED_TOPIC_PREFIX } from '../protocol/frames';
import type { Coalescer } from './coalescer';
import type { Context } from './context';
import type { EngineRuntime } from './engine';
import type { FrameHandler } from './frame-handler';
import type { IdempotencyWindow } from './idempotency';
import type { HubStats, LiveHub } from './live-hub';
import type { PressureSampler } from './pressure';
import type { ReplayBuffer } from './replay-buffer';
import type { RpcDispatcher } from './rpc-dispatch';
import { sendFrame, type LiveSocket } from './socket-data';
import { loadStreamForSsr } from './ssr-loader';
import type { StreamDefinition } from './stream-definition';
import type { SubscribeFlow } from './subscribe-flow';
import type { Topics } from './topics';
import type { UserRequests } from './user-requests';
import { userIdKey } from './user-key';
import { uwsIsNative } from './uws';

/** The parts of a hub its public methods act on. @internal */
export interface HubParts {
  epoch: string;
  engineName: string;
  engine: EngineRuntime;
  sockets: Map<string, LiveSocket>;
  topics: Topics;
  replay: ReplayBuffer;
  idempotency: IdempotencyWindow;
  coalescer: Coalescer;
  sampler: PressureSampler;
  stats: HubStats;
  flow: SubscribeFlow;
  frames: FrameHandler;
  dispatcher: RpcDispatcher;
  streams: ReadonlyMap<string, StreamDefinition>;
  makeContext: (user: unknown, connectionId: string) => Context;
  requests: UserRequests;
  publish: LiveHub['publish'];
  publishConfirmed: LiveHub['publishConfirmed'];
  publishCoalesced: LiveHub['publishCoalesced'];
  signal: LiveHub['signal'];
  replaceApi: LiveHub['replaceApi'];
  /** Timers and trackers to stop when the hub closes. */
  timers: { stop(): void };
}

/** The hub as its users see it: each method a few lines over the parts. @internal */
export function hubApi(parts: HubParts): LiveHub {
  const { sockets, topics, replay, idempotency, sampler, flow, frames, dispatcher, engine } = parts;
  return {
    epoch: parts.epoch,
    engine: parts.engineName,
    uwsNative: uwsIsNative(),
    get connectionCount() {
      return sockets.size;
    },
    get pressure() {
      return sampler.snapshot;
    },
    stats: parts.stats,
    get memory() {
      return { topics: topics.size, replayEvents: replay.size, replayBytes: replay.bytes, idempotencyScopes: idempotency.scopeCount };
    },
    ready: () => engine.ready,
    onPressure: (listener) => sampler.onTransition(listener),
    replaceApi: parts.replaceApi,
    publish: parts.publish,
    publishConfirmed: parts.publishConfirmed,
    sendCoalesced(connectionId, message) {
      const ws = sockets.get(connectionId);
      if (!ws) return false;
      parts.coalescer.set(ws, message.key, message);
      return true;
    },
    publishCoalesced: parts.publishCoalesced,
    signal: parts.signal,
    sendToUser: (userId, event, data) => engine.sendToUser(userIdKey({ id: userId })!, appEvent(event), data),
    requestUser: (userId, event, data, { timeoutMs = 10_000 } = {}) =>
      parts.requests.request(userIdKey({ id: userId })!, appEvent(event), data, timeoutMs),
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
    loadStream: (path, context, ...args) => loadStreamForSsr(parts.streams, topics, engine, parts.makeContext, path, context, args),
    async drain(timeoutMs = 10_000) {
      frames.draining = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([dispatcher.idle(), timedOut]);
      clearTimeout(timer);
    },
    closeConnections() {
      parts.timers.stop();
      for (const ws of [...sockets.values()]) ws.end(CloseCode.GOING_AWAY, 'server shutting down');
    },
    stopEngine: () => engine.stop(),
  };
}

/** Sends a frame to one connection by id; false when it is gone. @internal */
export function signalOf(sockets: ReadonlyMap<string, LiveSocket>): LiveHub['signal'] {
  return (connectionId, event, data) => {
    appEvent(event);
    const ws = sockets.get(connectionId);
    return ws ? sendFrame(ws, { type: 'signal', event, data }) : false;
  };
}

/** An app's signal or request name: a string not starting with `__` (the shim's own, e.g. requests). */
function appEvent(event: string): string {
  if (typeof event !== 'string' || event.startsWith(RESERVED_TOPIC_PREFIX)) {
    throw new TypeError(
      `the event name must be a string not starting with "${RESERVED_TOPIC_PREFIX}" (reserved for wirestore), got ${JSON.stringify(event)}`,
    );
  }
  return event;
}
