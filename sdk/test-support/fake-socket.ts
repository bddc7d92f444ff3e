import type { WebSocketConstructor } from '../connection';

/**
 * An in-memory stand-in for the browser WebSocket, driven by the test: `accept()` says hello,
 * `deliver()` sends a frame, `drop()` closes from the server side. Only for pure client logic
 * (timers, backoff, state); everything touching a real server is an integration test.
 */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  static get last(): FakeSocket {
    const socket = FakeSocket.instances.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }

  binaryType = 'blob';
  /** Frames sent after the client's hello. */
  readonly sent: unknown[] = [];
  /** The client's own hello (its first frame), kept apart from `sent`. */
  hello: { type: 'hello'; instance: string } | undefined;
  closedWith: { code?: number; reason?: string } | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeSocket.instances.push(this);
  }

  send(data: string): void {
    const frame = JSON.parse(data) as { type?: string };
    if (frame.type === 'hello' && this.hello === undefined && this.sent.length === 0) this.hello = frame as FakeSocket['hello'];
    else this.sent.push(frame);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
  }

  accept(hello: Partial<{ epoch: string; maxPayloadBytes: number; heartbeatIntervalMs: number }> = {}): void {
    this.onopen?.();
    this.deliver({
      type: 'hello',
      version: 1,
      epoch: hello.epoch ?? 'epoch-1',
      codec: 'json',
      connectionId: String(FakeSocket.instances.length),
      limits: {
        maxPayloadBytes: hello.maxPayloadBytes ?? 1 << 20,
        maxBatchSize: 50,
        heartbeatIntervalMs: hello.heartbeatIntervalMs ?? 25_000,
      },
    });
  }

  deliver(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  drop(code = 1006, reason = ''): void {
    this.onclose?.({ code, reason });
  }

  static reset(): void {
    FakeSocket.instances = [];
  }

  static asConstructor(): WebSocketConstructor {
    return FakeSocket as unknown as WebSocketConstructor;
  }
}
