import type { WebSocket } from 'uWebSockets.js';
import type { Codec } from '../protocol/codec';
import type { ServerFrame } from '../protocol/frames';
import type { Context } from './context';
import type { ActionLimits } from './connection-limits';

/** What a connection asked for when it subscribed, so access can be checked again later. */
export interface SubscriptionRecord {
  /** The name the client subscribed with: a topic, or a stream's path. */
  name: string;
  stream: boolean;
  args: unknown[];
  /** The client's refs for this topic (a client may subscribe to one topic more than once). */
  refs: number[];
}

/**
 * What the shim keeps on each uWS socket. Kept small: an idle connection costs this object,
 * its context and an empty map; rate-limit buckets are made on first use.
 * @internal
 */
export interface SocketData {
  user: unknown;
  connectionId: string;
  codec: Codec;
  /** The client's instance id from its hello (see `ClientHelloFrame`), once received. */
  instance?: string;
  /** Set in the close handler: uWS throws on any use of a closed socket, and replies can arrive late. */
  closed: boolean;
  /** Topics joined, by their public name, with what the client asked for ({@link NO_TOPICS} until the first). */
  topics: Map<string, SubscriptionRecord>;
  /** The handlers' context, made on first use: read it with {@link contextOf}. */
  ctx?: Context;
  hub: HubLink;
  /** Token buckets per kind of action, made on first use (undefined: none made yet). */
  limits?: ActionLimits;
  /** `authenticate` refused: the socket is closed with this as soon as it opens. */
  refused?: { code: number; reason: string };
}

/**
 * The topics of a connection that never subscribed: one shared empty map, replaced by its own on
 * the first join (only `Topics.join` writes), so an idle connection carries no map of its own.
 */
export const NO_TOPICS: Map<string, SubscriptionRecord> = new Map();

/** What every connection of one hub shares: one object, referenced from each socket's data. */
export interface HubLink {
  makeContext(user: unknown, connectionId: string): Context;
}

/**
 * The socket data for a new connection. A plain object of own properties: uWS copies the
 * properties of what `res.upgrade` is given, so getters and prototypes would not survive.
 * @internal
 */
export function newSocketData(hub: HubLink, user: unknown, connectionId: string, codec: Codec): SocketData {
  // Only what every connection needs; `instance`, `ctx` and `limits` are added on first use.
  return { user, connectionId, codec, closed: false, topics: NO_TOPICS, hub };
}

/** The handlers' context of a connection, made on its first use. */
export function contextOf(data: SocketData): Context {
  return (data.ctx ??= data.hub.makeContext(data.user, data.connectionId));
}

export type LiveSocket = WebSocket<SocketData>;

/**
 * Encodes and sends one frame, unless the socket closed meanwhile. Returns false when the frame
 * could not be sent; encoding failures are thrown to the caller, which knows what to say instead.
 */
export function sendFrame(ws: LiveSocket, frame: ServerFrame): boolean {
  const data = ws.getUserData();
  if (data.closed) return false;
  const payload = data.codec.encode(frame);
  ws.send(payload, typeof payload !== 'string');
  return true;
}
