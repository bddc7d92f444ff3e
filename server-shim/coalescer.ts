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
  /** Batches sent and not yet acknowledged by the client, with their bytes. */
  inFlight: Array<{ batch: number; bytes: number; at: number }>;
  nextBatch: number;
}

/** An unacknowledged window older than this is written off (a lost ack must not stall a key forever). */
const ACK_TIMEOUT_MS = 3000;

/**
 * Coalesce-by-key sends. Each (connection, key) holds at most one pending message; a newer
 * value replaces it in place, without reordering the others. Data is encoded only when sent, so
 * a thousand overwrites while the connection is busy cost one encode.
 *
 * Flow control: a flush stops while the socket has more than `highWaterBytes` buffered in uWS,
 * and while more than `windowBytes` of earlier flushes are unacknowledged by the client. The
 * second bound is what makes coalescing work on real links: the kernel's socket buffers can hold
 * megabytes before uWS sees any backpressure, and every stale value in them delays the newest.
 * @internal
 */
export class Coalescer {
  private readonly outboxes = new WeakMap<LiveSocket, Outbox>();

  constructor(
    private readonly highWaterBytes: number,
    private readonly windowBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  set(ws: LiveSocket, key: string, message: Pending): void {
    if (ws.getUserData().closed) return;
    let outbox = this.outboxes.get(ws);
    if (!outbox)
      this.outboxes.set(ws, (outbox = { pending: new Map(), superseded: new Map(), scheduled: false, inFlight: [], nextBatch: 1 }));
    if (outbox.pending.has(key)) outbox.superseded.set(message.topic, (outbox.superseded.get(message.topic) ?? 0) + 1);
    outbox.pending.set(key, message);
    this.schedule(ws, outbox);
  }

  /** The client received everything up to `batch`. */
  ack(ws: LiveSocket, batch: number): void {
    const outbox = this.outboxes.get(ws);
    if (!outbox) return;
    outbox.inFlight = outbox.inFlight.filter((sent) => sent.batch > batch);
    this.schedule(ws, outbox);
  }

  /** Sends what the socket can take now; called again on drain and on acknowledgement. */
  flush(ws: LiveSocket): void {
    const outbox = this.outboxes.get(ws);
    const data = ws.getUserData();
    if (!outbox || data.closed || outbox.pending.size === 0) return;
    const now = this.now();
    outbox.inFlight = outbox.inFlight.filter((sent) => now - sent.at < ACK_TIMEOUT_MS);
    let unacknowledged = outbox.inFlight.reduce((sum, sent) => sum + sent.bytes, 0);
    let bytes = 0;
    ws.cork(() => {
      for (const [key, message] of outbox.pending) {
        if (ws.getBufferedAmount() > this.highWaterBytes || unacknowledged >= this.windowBytes) break;
        outbox.pending.delete(key);
        const sent = send(ws, data.codec, { topic: message.topic, event: message.event, data: message.data });
        bytes += sent;
        unacknowledged += sent;
      }
      if (bytes === 0) return;
      const batch = outbox.nextBatch++;
      send(ws, data.codec, { type: 'coalesced', batch, superseded: Object.fromEntries(outbox.superseded) });
      outbox.superseded.clear();
      outbox.inFlight.push({ batch, bytes, at: now });
    });
  }

  private schedule(ws: LiveSocket, outbox: Outbox): void {
    if (outbox.scheduled || outbox.pending.size === 0) return;
    outbox.scheduled = true;
    // Same-tick bursts collapse before anything is encoded.
    setImmediate(() => {
      outbox.scheduled = false;
      this.flush(ws);
      // Held back by a full window: try again once acks could have come, or the window expired.
      if (outbox.pending.size > 0 && outbox.inFlight.length > 0) setTimeout(() => this.schedule(ws, outbox), ACK_TIMEOUT_MS).unref?.();
    });
  }
}

function send(ws: LiveSocket, codec: Codec, frame: object): number {
  const payload = codec.encode(frame);
  ws.send(payload, typeof payload !== 'string');
  return typeof payload === 'string' ? payload.length : payload.byteLength;
}
