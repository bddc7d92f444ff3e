import type { Codec } from '../protocol/codec';
import type { WebSocketConstructor } from '../sdk/connection';

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
    const frame = this.decode(payload);
    if (this.#eventsToDrop > 0 && frame && frame.type === undefined && typeof frame.seq === 'number') {
      this.#eventsToDrop--;
      this.report('in', payload, { ...frame, droppedByDevtools: true });
      return;
    }
    this.report('in', payload, frame);
    if (this.#latencyMs > 0) setTimeout(() => this.#open.has(socket) && handler.call(socket, event), this.#latencyMs);
    else handler.call(socket, event);
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
