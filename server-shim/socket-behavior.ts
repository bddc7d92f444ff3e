import type { WebSocketBehavior } from 'uWebSockets.js';
import { CloseCode } from '../protocol/close-codes';
import { PROTOCOL_VERSION, type ServerLimits } from '../protocol/frames';
import type { Coalescer } from './coalescer';
import type { FrameHandler } from './frame-handler';
import type { HubStats } from './live-hub';
import type { HubOptions, Logger } from './options';
import type { PressureSnapshot } from './pressure';
import { sendFrame, type LiveSocket, type SocketData } from './socket-data';
import type { Topics } from './topics';
import { handleUpgrade, type UpgradeDeps } from './upgrade';
import type { UserConnections } from './user-connections';

export interface SocketBehaviorDeps<User> {
  settings: Required<Pick<HubOptions, 'maxPayloadBytes' | 'idleTimeoutSeconds' | 'maxBackpressureBytes'>>;
  /** One topic's replay, at most: a resuming client must be able to receive it in one reply. */
  maxReplayBytes: number;
  upgrade: UpgradeDeps<User>;
  epoch: string;
  limits: ServerLimits;
  sockets: Map<string, LiveSocket>;
  /** The open connections of each user with an id (server pushes to a user). */
  users: UserConnections;
  frames: FrameHandler;
  topics: Topics;
  coalescer: Coalescer;
  pressure: () => PressureSnapshot;
  stats: HubStats;
  logger: Logger;
}

/**
 * The uWS behaviour of the wirestore route: transport limits, upgrade, hello, frames in, drain,
 * and the bookkeeping when a socket closes. Everything it does is in the modules it calls.
 * @internal
 */
export function socketBehavior<User>(deps: SocketBehaviorDeps<User>): WebSocketBehavior<SocketData> {
  const { settings, sockets, frames, stats, logger } = deps;
  return {
    // The transport cap sits just above the soft limit: frames between the two are answered with
    // 1009 below; anything larger is cut by uWS itself (1006) before it can be buffered.
    maxPayloadLength: settings.maxPayloadBytes + Math.min(settings.maxPayloadBytes, 64 * 1024),
    idleTimeout: settings.idleTimeoutSeconds,
    // uWS's own hard cut (1006). The watchdog cuts stuck sockets at maxBackpressureBytes; this one
    // only stops a burst inside one 100 ms tick, and leaves room for one topic's whole replay
    // going out in a subscribe reply, which a resuming client must be able to receive.
    maxBackpressure: settings.maxBackpressureBytes * 4 + deps.maxReplayBytes,
    closeOnBackpressureLimit: 1,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) => handleUpgrade<User>(deps.upgrade, res, req, context),
    open(ws) {
      const data = ws.getUserData();
      if (data.refused) {
        data.closed = true; // never registered: nothing to clean up, nothing to send
        ws.end(data.refused.code, data.refused.reason);
        return;
      }
      stats.connectionsOpened++;
      sockets.set(data.connectionId, ws);
      deps.users.add(ws);
      const { epoch, limits } = deps;
      sendFrame(ws, { type: 'hello', version: PROTOCOL_VERSION, epoch, codec: data.codec.name, connectionId: data.connectionId, limits });
      const pressure = deps.pressure();
      if (pressure.active) sendFrame(ws, { type: 'pressure', active: true, reason: pressure.reason });
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
      deps.coalescer.flush(ws);
    },
    close(ws) {
      const data = ws.getUserData();
      if (data.refused) return;
      data.closed = true;
      sockets.delete(data.connectionId);
      deps.users.remove(ws);
      deps.topics.leaveAll(ws);
    },
  };
}
