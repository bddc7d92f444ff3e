import type { WebSocketConstructor } from './connection';
import { TabClose, type Payload } from './tab-messages';

/** What a tab socket needs from its tab's router. */
export interface LinkRouter {
  open(socket: TabSocketLink): void;
  send(link: string, payload: Payload): void;
  close(link: string): void;
}

/** The router's handle on one tab socket. */
export interface TabSocketLink {
  readonly link: string;
  readonly url: string;
  readonly protocol: string;
  readonly readyState: number;
  opened(): void;
  message(payload: Payload): void;
  closed(code: number, reason: string): void;
}

type Handler = ((event: Event) => void) | null;

let nextLink = 0;
const tabPrefix = Math.random().toString(36).slice(2, 10);

/**
 * A WebSocket look-alike whose frames go through the tab holding the shared socket. The client's
 * Connection uses it as it would a real one: open, hello, frames, close codes and all. The
 * handlers are accessors, so a subclass (the devtools' observing socket) can wrap them.
 */
export function tabSocketClass(router: LinkRouter, onHandover: () => void): WebSocketConstructor {
  class TabSocket extends EventTarget implements TabSocketLink {
    readonly link = `${tabPrefix}.${++nextLink}`;
    readonly url: string;
    readonly protocol: string;
    readyState = 0;
    binaryType: BinaryType = 'arraybuffer';
    #handlers: Record<string, Handler> = { open: null, message: null, close: null, error: null };

    constructor(url: string, protocols?: string | string[]) {
      super();
      this.url = url;
      this.protocol = (Array.isArray(protocols) ? protocols[0] : protocols) ?? '';
      // As a real WebSocket: nothing happens before the caller has set its handlers (a hub in this
      // tab whose socket is already open would otherwise answer inside the constructor, unheard).
      queueMicrotask(() => this.readyState === 0 && router.open(this));
    }

    get onopen(): Handler {
      return this.#handlers.open!;
    }
    set onopen(handler: Handler) {
      this.#handlers.open = handler;
    }
    get onmessage(): Handler {
      return this.#handlers.message!;
    }
    set onmessage(handler: Handler) {
      this.#handlers.message = handler;
    }
    get onclose(): Handler {
      return this.#handlers.close!;
    }
    set onclose(handler: Handler) {
      this.#handlers.close = handler;
    }
    get onerror(): Handler {
      return this.#handlers.error!;
    }
    set onerror(handler: Handler) {
      this.#handlers.error = handler;
    }

    send(data: string | ArrayBufferLike | ArrayBufferView | Blob): void {
      if (this.readyState !== 1) throw new DOMException('the shared socket is not open', 'InvalidStateError');
      router.send(this.link, toPayload(data));
    }

    close(code = 1000, reason = ''): void {
      if (this.readyState >= 2) return;
      this.readyState = 3;
      router.close(this.link);
      // As a browser does: the close event comes later, never inside close().
      queueMicrotask(() => this.#fire('close', closeEvent(code, reason)));
    }

    opened(): void {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.#fire('open', new Event('open'));
    }

    message(payload: Payload): void {
      if (this.readyState === 1) this.#fire('message', new MessageEvent('message', { data: payload }));
    }

    closed(code: number, reason: string): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      if (code === TabClose.HANDOVER) onHandover();
      this.#fire('close', closeEvent(code, reason));
    }

    #fire(type: string, event: Event): void {
      this.#handlers[type]?.call(this, event);
      this.dispatchEvent(event);
    }
  }
  return TabSocket as unknown as WebSocketConstructor;
}

function closeEvent(code: number, reason: string): Event {
  return Object.assign(new Event('close'), { code, reason, wasClean: code === 1000 });
}

function toPayload(data: string | ArrayBufferLike | ArrayBufferView | Blob): Payload {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  if (data instanceof ArrayBuffer) return data;
  throw new TypeError('a shared socket sends strings and bytes only');
}
