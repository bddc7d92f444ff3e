import type { WebSocketRoute } from '@playwright/test';
import { msgpackCodec } from '../protocol/msgpack-codec';

/** One routed socket: the page's end and the server's. */
interface Link {
  page: WebSocketRoute;
  server: WebSocketRoute;
}

/**
 * Stands between a page and the shim through Playwright's own WebSocket routing (no proxy
 * process): goes offline, cuts sockets with a chosen close code, adds latency, stalls, and drops
 * the next N topic events to force a gap. @internal
 */
export class WireController {
  readonly #links = new Set<Link>();
  #offline = false;
  #latencyMs = 0;
  #stalled: Array<() => void> | undefined;
  #eventsToDrop = 0;

  /** Playwright's route handler: every wirestore socket of the page comes through here. */
  attach(page: WebSocketRoute): void {
    if (this.#offline) {
      void page.close({ code: 1001, reason: 'offline (wirestore/testing)' });
      return;
    }
    const link = { page, server: page.connectToServer() };
    this.#links.add(link);
    page.onMessage((message) => this.#pass(() => link.server.send(message)));
    link.server.onMessage((message) => {
      if (this.#eventsToDrop > 0 && isTopicEvent(message)) {
        this.#eventsToDrop--;
        return;
      }
      this.#pass(() => link.page.send(message));
    });
    page.onClose((code, reason) => {
      this.#links.delete(link);
      void link.server.close({ code, reason });
    });
    link.server.onClose((code, reason) => {
      this.#links.delete(link);
      void link.page.close({ code, reason });
    });
  }

  async offline(): Promise<void> {
    this.#offline = true;
    await this.cut(1001, 'offline (wirestore/testing)');
  }

  online(): void {
    this.#offline = false;
  }

  async cut(code = 1001, reason = 'cut (wirestore/testing)'): Promise<void> {
    const links = [...this.#links];
    this.#links.clear();
    await Promise.all(links.map(async ({ page, server }) => Promise.all([page.close({ code, reason }), server.close({ code, reason })])));
  }

  latency(ms: number): void {
    this.#latencyMs = Math.max(0, ms);
  }

  stall(): void {
    this.#stalled ??= [];
  }

  resume(): void {
    const held = this.#stalled ?? [];
    this.#stalled = undefined;
    for (const send of held) this.#pass(send);
  }

  dropNextEvents(count: number): void {
    this.#eventsToDrop += count;
  }

  #pass(send: () => void): void {
    if (this.#stalled) this.#stalled.push(send);
    else if (this.#latencyMs > 0)
      setTimeout(send, this.#latencyMs); // one latency for all: order kept
    else send();
  }
}

/** A topic event (not a reply or a control frame): it has a topic and a seq, and no type. */
function isTopicEvent(message: string | Buffer): boolean {
  try {
    const frame = (typeof message === 'string' ? JSON.parse(message) : msgpackCodec.decode(message)) as Record<string, unknown>;
    return (
      typeof frame === 'object' &&
      frame !== null &&
      frame.type === undefined &&
      typeof frame.topic === 'string' &&
      typeof frame.seq === 'number'
    );
  } catch {
    return false;
  }
}
