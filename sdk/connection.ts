import { atom, type ReadableAtom } from 'nanostores';
import { classifyClose, CloseCode, THROTTLE_MIN_ATTEMPT, type CloseClass } from '../protocol/close-codes';
import { subprotocolFor, type Codec } from '../protocol/codec';
import type { ClientFrame, HelloFrame, ServerFrame } from '../protocol/frames';
import { readServerFrame } from '../protocol/server-frame-guard';
import { reconnectDelay, type BackoffOptions } from './backoff';
import { isBrowserOffline, watchBrowser } from './browser-events';
import { clientInstanceId } from './idempotency-key';
import { defaultSocketUrl } from './page-origin';
import { safeInvoke } from './safe-invoke';
import type { ConnectionStatus } from './status';

/** The WebSocket constructor to use; the browser's by default, `ws` in Node < 22. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/** Lifecycle hooks. A hook that throws is reported and otherwise ignored. */
export interface ConnectionHooks {
  /** The server said hello: the connection is usable. */
  onConnect?: (info: { epoch: string; connectionId: string }) => void;
  /** An open connection dropped. `willReconnect` is false after a terminal close or `close()`. */
  onDisconnect?: (info: { code: number; reason: string; willReconnect: boolean }) => void;
  /** Runs before each retry and is awaited: refresh a token here. */
  beforeReconnect?: (info: { attempt: number }) => void | Promise<void>;
}

/** @internal */
export interface ConnectionConfig {
  /** A function is called before every attempt; undefined: the page's origin (checked at start). */
  url: string | (() => string | Promise<string>) | undefined;
  loadCodec: () => Codec | Promise<Codec>;
  WebSocket: WebSocketConstructor | undefined;
  backoff: BackoffOptions;
  /** Silence before a ping; undefined: the interval the server announces in its hello. */
  heartbeatIntervalMs: number | undefined;
  heartbeatTimeoutMs: number;
  hooks: ConnectionHooks;
  debug: boolean;
  onOpen(hello: HelloFrame): void;
  onFrame(frame: ServerFrame): void;
  onDrop(closeClass: CloseClass | 'closed', code: number, reason: string): void;
}

/**
 * One WebSocket at a time: opens it, waits for the server's hello, keeps it alive with a
 * heartbeat, and reopens it with jittered exponential backoff. Network trouble is never thrown,
 * only reported through `status` and the hooks.
 * @internal
 */
export class Connection {
  readonly status: ReadableAtom<ConnectionStatus>;
  readonly #$status = atom<ConnectionStatus>({ state: 'idle' });
  #socket: WebSocket | undefined;
  #maxPayloadBytes = Infinity;
  #codec: Codec | undefined;
  #open = false;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  #lastReceivedAt = 0;
  #pinged = false;
  #heartbeatIntervalMs = 0; // set from the hello, before the first heartbeat check
  #detachBrowserEvents: (() => void) | undefined;
  #instance: string | undefined;

  constructor(readonly config: ConnectionConfig) {
    this.status = this.#$status;
  }

  /** Opens the connection if nothing has yet, or again after a terminal close (new credentials). Idempotent. */
  start(): void {
    const state = this.#$status.get().state;
    if (state !== 'idle' && state !== 'terminal') return;
    // Misuse throws here, at the first use that needs the network, with the fix: never a retry loop.
    if (!this.#WebSocket()) {
      throw new TypeError(
        'wirestore: no WebSocket implementation here: pass createClient({ WebSocket }) from the "ws" package (Node < 22)',
      );
    }
    if (this.config.url === undefined) defaultSocketUrl();
    this.#attempt = 0;
    this.#$status.set({ state: 'connecting' });
    this.#detachBrowserEvents = watchBrowser({
      comeBack: () => this.#retrySoon(),
      wentOffline: () => {
        if (this.#$status.get().state !== 'reconnecting') return;
        clearTimeout(this.#retryTimer);
        this.#$status.set({ state: 'offline' });
      },
    });
    void this.#openSocket();
  }

  /**
   * Sends a frame if the connection is open. `not-open`: nothing was sent; `too-large`: the
   * encoded frame exceeds the server's announced limit and was not sent (the server would close).
   */
  send(frame: ClientFrame): 'sent' | 'not-open' | 'too-large' {
    if (!this.#open || !this.#socket || !this.#codec) return 'not-open';
    const payload = this.#codec.encode(frame);
    if (exceeds(payload, this.#maxPayloadBytes)) return 'too-large';
    this.#socket.send(payload);
    return 'sent';
  }

  /** Closes for good. */
  close(): void {
    const state = this.#$status.get().state;
    if (state === 'closed' || state === 'terminal') return;
    this.#$status.set({ state: 'closed' });
    this.#detachBrowserEvents?.();
    clearTimeout(this.#retryTimer);
    this.#dropSocket(CloseCode.NORMAL, 'client closed');
    this.#handleClose(CloseCode.NORMAL, 'client closed');
  }

  #WebSocket(): WebSocketConstructor | undefined {
    return this.config.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
  }

  get #stopped(): boolean {
    const state = this.#$status.get().state;
    return state === 'closed' || state === 'terminal';
  }

  async #openSocket(): Promise<void> {
    let codec: Codec;
    let socket: WebSocket;
    try {
      codec = this.#codec ?? (await this.config.loadCodec());
      this.#codec = codec;
      if (this.#stopped) return;
      const WebSocketImpl = this.#WebSocket()!;
      const { url: option } = this.config;
      const url = typeof option === 'function' ? await option() : (option ?? defaultSocketUrl());
      if (this.#stopped || this.#socket) return;
      socket = new WebSocketImpl(url, subprotocolFor(codec.name));
    } catch (error) {
      console.error('[wirestore] could not open a socket:', error);
      this.#handleClose(CloseCode.ABNORMAL, String(error));
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    const hello = codec.encode({ type: 'hello', instance: (this.#instance ??= clientInstanceId()) } satisfies ClientFrame);
    socket.onopen = () => socket.send(hello);
    // The hello must come within one heartbeat timeout, or the attempt counts as failed.
    clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = setTimeout(() => this.#presumeDead('no hello from the server in time'), this.config.heartbeatTimeoutMs);
    socket.onmessage = (message: MessageEvent) => this.#receive(message.data as string | ArrayBuffer);
    socket.onclose = (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#handleClose(event.code, event.reason);
    };
    socket.onerror = () => {
      // Always followed by a close event, which does the work.
    };
  }

  #receive(payload: string | ArrayBuffer): void {
    this.#lastReceivedAt = Date.now();
    this.#pinged = false;
    let frame: ServerFrame | undefined;
    try {
      frame = readServerFrame(this.#codec!.decode(payload));
    } catch (error) {
      console.warn('[wirestore] dropped an undecodable server frame:', error);
      return;
    }
    if (!frame) {
      if (this.config.debug) console.debug('[wirestore] ignored an unknown or malformed frame', payload);
      return;
    }
    if ('type' in frame && frame.type === 'hello') return this.#handleHello(frame);
    if ('type' in frame && frame.type === 'pong') return;
    if (this.#open) this.config.onFrame(frame);
  }

  #handleHello(hello: HelloFrame): void {
    this.#open = true;
    this.#attempt = 0;
    this.#maxPayloadBytes = hello.limits.maxPayloadBytes ?? Infinity;
    this.#$status.set({ state: 'open', epoch: hello.epoch, connectionId: hello.connectionId });
    this.#heartbeatIntervalMs = this.config.heartbeatIntervalMs ?? hello.limits.heartbeatIntervalMs ?? 25_000;
    this.#watchHeartbeat();
    safeInvoke(this.config.hooks.onConnect, { epoch: hello.epoch, connectionId: hello.connectionId });
    this.config.onOpen(hello);
  }

  /**
   * Keeps the socket honest, timed from the last byte received (not from the last check): after
   * `interval` of silence it pings, and after `interval + timeout` it presumes the path dead. So a
   * path that dies right after traffic is noticed within `interval + timeout` of that traffic.
   */
  #watchHeartbeat(): void {
    clearTimeout(this.#heartbeatTimer);
    const interval = this.#heartbeatIntervalMs;
    const silentFor = Date.now() - this.#lastReceivedAt;
    if (silentFor >= interval + this.config.heartbeatTimeoutMs) return this.#presumeDead('no heartbeat reply in time');
    if (silentFor >= interval && !this.#pinged) {
      this.#pinged = true;
      this.send({ type: 'ping' });
    }
    const nextCheckIn = (silentFor >= interval ? interval + this.config.heartbeatTimeoutMs : interval) - silentFor;
    this.#heartbeatTimer = setTimeout(() => this.#watchHeartbeat(), nextCheckIn);
  }

  #presumeDead(reason: string): void {
    this.#dropSocket(CloseCode.HEARTBEAT_TIMEOUT, reason);
    this.#handleClose(CloseCode.HEARTBEAT_TIMEOUT, reason);
  }

  /** Detaches and closes the current socket without waiting for its close event. */
  #dropSocket(code: number, reason: string): void {
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    // A no-op, not null, for onerror: Node's `ws` emits 'error' when a socket closed while
    // connecting is aborted, and an EventEmitter 'error' with no listener crashes the process.
    socket.onmessage = socket.onclose = socket.onopen = socket.onerror = () => {};
    try {
      socket.close(code === CloseCode.NORMAL || code >= 4000 ? code : CloseCode.NORMAL, reason.slice(0, 120));
    } catch {
      // Closing a socket that never opened can throw in some implementations; it is gone either way.
    }
  }

  #handleClose(code: number, reason: string): void {
    clearTimeout(this.#heartbeatTimer);
    const wasOpen = this.#open;
    this.#open = false;
    if (this.#$status.get().state === 'closed') {
      if (wasOpen) safeInvoke(this.config.hooks.onDisconnect, { code, reason, willReconnect: false });
      this.config.onDrop('closed', code, reason);
      return;
    }
    const closeClass = classifyClose(code);
    if (closeClass === 'terminal') {
      this.#$status.set({ state: 'terminal', code, reason });
      this.#detachBrowserEvents?.();
    } else if (closeClass === 'throttle') {
      this.#attempt = Math.max(this.#attempt, THROTTLE_MIN_ATTEMPT);
    }
    if (wasOpen) safeInvoke(this.config.hooks.onDisconnect, { code, reason, willReconnect: closeClass !== 'terminal' });
    this.config.onDrop(closeClass, code, reason);
    if (closeClass !== 'terminal') this.#scheduleReconnect(code, reason);
  }

  #scheduleReconnect(code: number, reason: string): void {
    clearTimeout(this.#retryTimer);
    if (isBrowserOffline()) {
      this.#$status.set({ state: 'offline' });
      return;
    }
    const delay = reconnectDelay(this.#attempt, this.config.backoff);
    this.#attempt += 1;
    this.#$status.set({ state: 'reconnecting', attempt: this.#attempt, nextRetryAt: Date.now() + delay, code, reason });
    this.#retryTimer = setTimeout(() => void this.#reconnectNow(), delay);
  }

  async #reconnectNow(): Promise<void> {
    clearTimeout(this.#retryTimer);
    try {
      await this.config.hooks.beforeReconnect?.({ attempt: this.#attempt });
    } catch (error) {
      console.error('[wirestore] beforeReconnect threw; reconnecting anyway:', error);
    }
    if (this.#stopped || this.#socket) return;
    await this.#openSocket();
  }

  /** Retry at once, with a fresh attempt counter, when the network or the tab comes back. */
  #retrySoon(): void {
    const state = this.#$status.get().state;
    if (state !== 'reconnecting' && state !== 'offline') return;
    this.#attempt = 0;
    void this.#reconnectNow();
  }
}

const utf8 = new TextEncoder();

/** Whether the payload is over `limit` bytes; a string is UTF-8 encoded only when it might be. */
function exceeds(payload: string | Uint8Array, limit: number): boolean {
  if (typeof payload !== 'string') return payload.byteLength > limit;
  if (payload.length * 3 <= limit) return false;
  return utf8.encode(payload).byteLength > limit;
}
