import type { Codec } from '../protocol/codec';
import type { WebSocketConstructor } from '../sdk/connection';
import { jsonEventTopic } from '../sdk/event-topic';

type FrameListener = (direction: 'in' | 'out', payload: string | ArrayBuffer, frame: Record<string, unknown> | undefined) => void;

/**
 * The client's sockets, observed: every frame in and out is reported (decoded: JSON, or
 * MessagePack once its codec has loaded), and the chaos controls act on them: offline, a cut
 * with a chosen close code, latency, and dropping the next topic events to force a gap.
 */
export class ObservedSockets {
  #msgpack: Codec | undefined;
  #open = new Set<WebSocket>();
  #offline = false;
  #latencyMs = 0;
  #eventsToDrop = 0;
  /** Called after the client took a topic event (the recorder then reads the client's counters). */
  afterEvent: ((payload: string | ArrayBuffer) => void) | undefined;

  constructor(
    private readonly base: WebSocketConstructor | undefined,
    private readonly report: FrameListener,
  ) {}

  decode(payload: string | ArrayBuffer): Record<string, unknown> | undefined {
    try {
      if (typeof payload === 'string') return JSON.parse(payload) as Record<string, unknown>;
      return this.#msgpack?.decode(new Uint8Array(payload)) as Record<string, unknown> | undefined;
    } catch {
      return undefined;
    }
  }

  /** Goes offline: every socket cut (1006, as a lost network looks), new ones fail until `online()`. */
  offline(): void {
    this.#offline = true;
    this.cut(1006, 'offline (devtools)');
  }

  online(): void {
    this.#offline = false;
  }

  get isOffline(): boolean {
    return this.#offline;
  }

  /** Cuts every open socket as if the server closed it with `code` (4401 and 4403 are terminal). */
  cut(code = 1006, reason = 'cut (devtools)'): void {
    for (const socket of this.#open) {
      const onclose = socket.onclose;
      socket.onclose = socket.onmessage = null;
      socket.close();
      onclose?.call(socket, { code, reason, wasClean: false } as CloseEvent);
    }
    this.#open.clear();
  }

  latency(ms: number): void {
    this.#latencyMs = Math.max(0, ms);
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  dropNextEvents(count: number): void {
    this.#eventsToDrop += count;
  }

  /** The WebSocket class the client uses while recorded. */
  constructorFor(): WebSocketConstructor {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const observer = this;
    const Base = this.base as unknown as typeof WebSocket;
    return class ObservedSocket extends Base {
      constructor(url: string, protocols?: string | string[]) {
        // Offline: a URL nothing listens on, so the attempt fails the way a dead network does.
        super(observer.#offline ? 'ws://127.0.0.1:9/offline' : url, protocols);
        if (String(protocols).includes('msgpack')) observer.#loadMsgpack();
        observer.#open.add(this);
        this.addEventListener('close', () => observer.#open.delete(this));
      }

      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        const payload = typeof data === 'string' ? data : toArrayBuffer(data);
        if (payload !== undefined) observer.report('out', payload, observer.decode(payload));
        if (observer.#latencyMs > 0) setTimeout(() => this.readyState === 1 && super.send(data), observer.#latencyMs);
        else super.send(data);
      }

      override set onmessage(handler: ((event: MessageEvent) => void) | null) {
        super.onmessage = handler && ((event: MessageEvent) => observer.#deliver(event, handler, this));
      }

      override get onmessage(): ((event: MessageEvent) => void) | null {
        return super.onmessage as ((event: MessageEvent) => void) | null;
      }
    } as unknown as WebSocketConstructor;
  }

  #deliver(event: MessageEvent, handler: (event: MessageEvent) => void, socket: WebSocket): void {
    const payload = event.data as string | ArrayBuffer;
    // Topic events, most of the traffic, are kept raw: only what is not an event is decoded now.
    const isEvent = looksLikeEvent(payload);
    if (this.#eventsToDrop > 0 && isEvent) {
      this.#eventsToDrop--;
      this.report('in', payload, { ...(peekEvent(payload) ?? this.decode(payload)), droppedByDevtools: true });
      return;
    }
    this.report('in', payload, isEvent ? undefined : this.decode(payload));
    if (this.#latencyMs > 0) setTimeout(() => this.#open.has(socket) && this.#take(event, handler, socket, isEvent), this.#latencyMs);
    else this.#take(event, handler, socket, isEvent);
  }

  #take(event: MessageEvent, handler: (event: MessageEvent) => void, socket: WebSocket, isEvent: boolean): void {
    handler.call(socket, event);
    if (isEvent) this.afterEvent?.(event.data as string | ArrayBuffer);
  }

  #loadMsgpack(): void {
    if (this.#msgpack) return;
    void import('../protocol/msgpack-codec').then(({ msgpackCodec }) => (this.#msgpack = msgpackCodec));
  }
}

function toArrayBuffer(data: ArrayBufferLike | Blob | ArrayBufferView): ArrayBuffer | undefined {
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return undefined;
}

/** Whether a frame is a topic event: JSON starting `{"topic":"`, or MessagePack whose first key is `topic`. */
function looksLikeEvent(payload: string | ArrayBuffer): boolean {
  if (typeof payload === 'string') return payload.startsWith('{"topic":"');
  const bytes = new Uint8Array(payload, 0, Math.min(payload.byteLength, 7));
  // fixmap, then the fixstr "topic" (0xa5 t o p i c)
  return (bytes[0]! & 0xf0) === 0x80 && bytes[1] === 0xa5 && bytes[2] === 0x74 && bytes[3] === 0x6f && bytes[4] === 0x70;
}

/**
 * A JSON topic event's topic and seq without parsing it all (the client parses it anyway; recording
 * must stay cheap on a busy socket). The shim writes `{"topic":…,"event":…,"data":…,"seq":N}`, so
 * the last `"seq":` is the envelope's. Anything else: undefined, and the caller decodes in full.
 */
export function peekEvent(payload: string | ArrayBuffer): Record<string, unknown> | undefined {
  if (typeof payload !== 'string') return undefined;
  const topic = jsonEventTopic(payload);
  const seqAt = payload.lastIndexOf('"seq":');
  if (topic === undefined || seqAt === -1) return undefined;
  const seq = Number.parseInt(payload.slice(seqAt + 6), 10);
  return Number.isFinite(seq) ? { topic, seq } : undefined;
}
