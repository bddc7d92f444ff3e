import type { Codec } from '../protocol/codec';
import type { LiveSocket } from './socket-data';

interface Pending {
  topic: string;
  event: string;
  data: unknown;
}

interface Outbox {
  /** key → latest message; a Map keeps a replaced key in its original slot. */
  pending: Map<string, Pending>;
  /** Per topic, how many pending values were replaced before they could be sent. */
  superseded: Map<string, number>;
  scheduled: boolean;
}

/**
 * Coalesce-by-key sends. Each (connection, key) holds at most one pending message; a newer
 * value replaces it in place, without reordering the others. Data is encoded only when sent, so
 * a thousand overwrites during backpressure cost one encode. Sending stops while the socket has
 * more than `highWaterBytes` buffered and resumes on its next drain.
 * @internal
 */
export class Coalescer {
  private readonly outboxes = new WeakMap<LiveSocket, Outbox>();

  constructor(private readonly highWaterBytes: number) {}

  set(ws: LiveSocket, key: string, message: Pending): void {
    if (ws.getUserData().closed) return;
    let outbox = this.outboxes.get(ws);
    if (!outbox) this.outboxes.set(ws, (outbox = { pending: new Map(), superseded: new Map(), scheduled: false }));
    if (outbox.pending.has(key)) outbox.superseded.set(message.topic, (outbox.superseded.get(message.topic) ?? 0) + 1);
    outbox.pending.set(key, message);
    if (!outbox.scheduled) {
      outbox.scheduled = true;
      // Same-tick bursts collapse before anything is encoded.
      setImmediate(() => {
        outbox!.scheduled = false;
        this.flush(ws);
      });
    }
  }

  /** Sends what the socket can take now; called again from the socket's drain handler. */
  flush(ws: LiveSocket): void {
    const outbox = this.outboxes.get(ws);
    const data = ws.getUserData();
    if (!outbox || data.closed || outbox.pending.size === 0) return;
    ws.cork(() => {
      for (const [key, message] of outbox.pending) {
        if (ws.getBufferedAmount() > this.highWaterBytes) break;
        outbox.pending.delete(key);
        send(ws, data.codec, { topic: message.topic, event: message.event, data: message.data });
      }
      if (outbox.superseded.size > 0) {
        send(ws, data.codec, { type: 'coalesced', superseded: Object.fromEntries(outbox.superseded) });
        outbox.superseded.clear();
      }
    });
  }

  /** Messages still waiting for this socket (for tests and metrics). */
  pendingCount(ws: LiveSocket): number {
    return this.outboxes.get(ws)?.pending.size ?? 0;
  }
}

function send(ws: LiveSocket, codec: Codec, frame: object): void {
  const payload = codec.encode(frame);
  ws.send(payload, typeof payload !== 'string');
}
