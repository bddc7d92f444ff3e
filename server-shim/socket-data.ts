import type { WebSocket } from 'uWebSockets.js';
import type { Codec } from '../protocol/codec';
import type { ServerFrame } from '../protocol/frames';
import type { Context } from './context';
import type { TokenBucket } from './rate-limit';

/** What the shim keeps on each uWS socket. @internal */
export interface SocketData {
  user: unknown;
  connectionId: string;
  codec: Codec;
  ip: string;
  /** Set in the close handler: uWS throws on any use of a closed socket, and replies can arrive late. */
  closed: boolean;
  /** Topics joined, by their public name. */
  topics: Set<string>;
  ctx: Context;
  /** Calls allowed on this connection (undefined: no limit). */
  callBucket: TokenBucket | undefined;
  /** Rate-limited calls in a row; sustained abuse closes the socket. */
  rejectedInARow: number;
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
