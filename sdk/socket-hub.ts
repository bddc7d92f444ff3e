import type { Codec } from '../protocol/codec';
import type { WebSocketConstructor } from './connection';
import { eventTopic } from './event-topic';
import { TabClose, type Payload } from './tab-messages';

/** Where the hub sends what it has for links (in this tab, or through the channel). */
export interface HubOutlet {
  opened(link: string): void;
  deliver(links: string[], payload: Payload): void;
  closed(link: string, code: number, reason: string): void;
}

interface Link {
  /** The real topics this link's client subscribed (learned from the server's replies). */
  topics: Set<string>;
  pinged: boolean;
}

type Frame = Record<string, unknown>;

/**
 * The leader tab's end of a shared socket: one real WebSocket that the clients of every tab
 * (their links) use as if each had its own. Call ids and subscribe refs are renumbered so the
 * links never collide, replies go back to the link that asked, events to every link on their
 * topic, and broadcasts (signals, pressure) to all. A link's client never knows it shares.
 * @internal
 */
export class SocketHub {
  readonly #links = new Map<string, Link>();
  /** Links waiting for the real socket to open. */
  readonly #waiting = new Set<string>();
  /** Hub number → the link and its own number, for calls and for subscribes. */
  readonly #calls = new Map<number, { link: string; id: number }>();
  readonly #refs = new Map<number, { link: string; ref: number }>();
  #next = 0;
  #socket: WebSocket | undefined;
  #open = false;
  #serverHello: Payload | undefined;
  #clientHelloSent = false;
  #protocol: string | undefined;

  constructor(
    private readonly codec: Codec,
    private readonly WebSocketImpl: WebSocketConstructor,
    private readonly out: HubOutlet,
  ) {}

  get linkCount(): number {
    return this.#links.size;
  }

  /** A link wants to connect: at once if the real socket is up, else when it is. */
  open(link: string, url: string, protocol: string): void {
    // Tabs share by URL and codec, so a link speaking another protocol is a bug: refuse it.
    if (this.#protocol !== undefined && protocol !== this.#protocol) {
      return this.out.closed(link, TabClose.POLICY_VIOLATION, `the shared socket speaks ${this.#protocol}, not ${protocol}`);
    }
    this.#links.set(link, { topics: new Set(), pinged: false });
    if (this.#open) {
      this.out.opened(link);
      if (this.#serverHello !== undefined) this.out.deliver([link], this.#serverHello);
      else this.#waiting.add(link);
      return;
    }
    this.#waiting.add(link);
    if (!this.#socket) this.#connect(url, protocol);
  }

  /** A frame from a link. */
  send(link: string, payload: Payload): void {
    const state = this.#links.get(link);
    if (!state || !this.#open) return;
    let frame: Frame;
    try {
      frame = this.codec.decode(payload) as Frame;
    } catch {
      return; // a link's client only sends what its codec encoded; nothing else is forwarded
    }
    switch (frame.type) {
      case 'hello':
        // One hello per real socket: every tab's client has the same instance id (localStorage).
        if (this.#clientHelloSent) return;
        this.#clientHelloSent = true;
        return this.#forward(payload);
      case 'call':
        frame.id = this.#number(this.#calls, { link, id: frame.id as number });
        return this.#forward(frame);
      case 'batch':
        for (const call of frame.calls as Frame[]) call.id = this.#number(this.#calls, { link, id: call.id as number });
        return this.#forward(frame);
      case 'subscribe':
        frame.ref = this.#number(this.#refs, { link, ref: frame.ref as number });
        return this.#forward(frame);
      case 'unsubscribe':
        state.topics.delete(frame.topic as string);
        if (!this.#anyOn(frame.topic as string)) this.#forward(payload);
        return;
      case 'ping':
        state.pinged = true;
        return this.#forward(payload);
      case 'ack':
        return; // the hub acknowledges coalesced batches itself, once
      default:
        return this.#forward(payload);
    }
  }

  /** A link's client closed it (or its tab went away): its subscriptions no other link holds end. */
  close(link: string): void {
    const state = this.#links.get(link);
    if (!state) return;
    this.#links.delete(link);
    this.#waiting.delete(link);
    for (const topic of state.topics) if (!this.#anyOn(topic)) this.#forward({ type: 'unsubscribe', topic });
    for (const [number, call] of this.#calls) if (call.link === link) this.#calls.delete(number);
    for (const [number, ref] of this.#refs) if (ref.link === link) this.#refs.delete(number);
    if (this.#links.size === 0) this.#closeSocket(TabClose.NORMAL, 'no tab uses the shared socket');
  }

  /** This tab stops leading (it is closing): every link is told to reconnect through the next hub. */
  shutdown(code: number, reason: string): void {
    for (const link of [...this.#links.keys()]) {
      this.#links.delete(link);
      this.out.closed(link, code, reason);
    }
    this.#closeSocket(TabClose.NORMAL, reason);
  }

  #connect(url: string, protocol: string): void {
    const socket = new this.WebSocketImpl(url, protocol);
    this.#protocol = protocol;
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    socket.onopen = () => {
      this.#open = true;
      for (const link of this.#waiting) this.out.opened(link);
    };
    socket.onmessage = (message: MessageEvent) => this.#receive(message.data as Payload);
    socket.onclose = (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#reset();
      // Every link closes as the real socket did: each client applies its own policy to the code.
      for (const link of [...this.#links.keys()]) this.out.closed(link, event.code, event.reason);
      this.#links.clear();
    };
    socket.onerror = () => {};
  }

  #receive(payload: Payload): void {
    const topic = eventTopic(payload, this.codec);
    if (topic !== undefined) return this.#toLinks((link) => link.topics.has(topic), payload);
    let frame: Frame;
    try {
      frame = this.codec.decode(payload) as Frame;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'hello':
        this.#serverHello = payload;
        this.out.deliver(
          [...this.#waiting].filter((link) => this.#links.has(link)),
          payload,
        );
        this.#waiting.clear();
        return;
      case 'result':
      case 'error':
        return this.#reply(this.#calls, frame, 'id');
      case 'subscribed':
      case 'denied':
        return this.#reply(this.#refs, frame, 'ref');
      case 'unsubscribed':
        return this.#toLinks((link) => link.topics.delete(frame.topic as string), payload);
      case 'pong':
        // To the links that pinged, each answered once.
        return this.#toLinks((link) => {
          const asked = link.pinged;
          link.pinged = false;
          return asked;
        }, payload);
      case 'coalesced':
        this.#forward({ type: 'ack', batch: frame.batch });
        return this.#toLinks(() => true, payload);
      default:
        return this.#toLinks(() => true, payload); // signals, pressure
    }
  }

  /** A reply to one link: its own number back in place; a subscription's topic remembered. */
  #reply(numbers: Map<number, { link: string; id?: number; ref?: number }>, frame: Frame, field: 'id' | 'ref'): void {
    const owner = typeof frame[field] === 'number' ? numbers.get(frame[field] as number) : undefined;
    if (!owner) {
      if (frame[field] === null) this.#toLinks(() => true, this.codec.encode(frame) as Payload); // a frame the server could not read
      return;
    }
    numbers.delete(frame[field] as number);
    frame[field] = owner[field];
    const link = this.#links.get(owner.link);
    if (!link) return;
    if (frame.type === 'subscribed') link.topics.add(frame.topic as string);
    this.out.deliver([owner.link], toPayload(this.codec.encode(frame)));
  }

  #toLinks(wants: (link: Link) => boolean, payload: Payload): void {
    const links: string[] = [];
    for (const [id, link] of this.#links) if (wants(link)) links.push(id);
    if (links.length > 0) this.out.deliver(links, payload);
  }

  #anyOn(topic: string): boolean {
    for (const link of this.#links.values()) if (link.topics.has(topic)) return true;
    return false;
  }

  #number<Owner>(numbers: Map<number, Owner>, owner: Owner): number {
    this.#next = (this.#next % Number.MAX_SAFE_INTEGER) + 1;
    numbers.set(this.#next, owner);
    return this.#next;
  }

  #forward(frame: Frame | Payload): void {
    if (!this.#open || !this.#socket) return;
    this.#socket.send(typeof frame === 'object' && !(frame instanceof ArrayBuffer) ? this.codec.encode(frame) : frame);
  }

  #closeSocket(code: number, reason: string): void {
    const socket = this.#socket;
    this.#reset();
    if (!socket) return;
    socket.onclose = socket.onmessage = socket.onopen = null;
    socket.close(code, reason);
  }

  #reset(): void {
    this.#socket = undefined;
    this.#protocol = undefined;
    this.#open = false;
    this.#serverHello = undefined;
    this.#clientHelloSent = false;
    this.#waiting.clear();
    this.#calls.clear();
    this.#refs.clear();
  }
}

/** Bytes as an ArrayBuffer of their own: what a WebSocket would have delivered. */
function toPayload(encoded: string | Uint8Array): Payload {
  if (typeof encoded === 'string') return encoded;
  return encoded.buffer.slice(encoded.byteOffset, encoded.byteOffset + encoded.byteLength) as ArrayBuffer;
}
