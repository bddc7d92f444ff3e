import type { Codec } from '../protocol/codec';
import type { WebSocketConstructor } from './connection';
import { SocketHub, type HubOutlet } from './socket-hub';
import { TabClose, type Payload, type TabMessage } from './tab-messages';
import type { LinkRouter, TabSocketLink } from './tab-socket';

/** Which tab holds the shared socket, as this tab sees it. */
export interface TabRole {
  /** This tab's id. */
  tab: string;
  /** Whether this tab holds the socket. */
  leader: boolean;
  /** The tab that does, once known. */
  leaderTab: string | undefined;
}

const forever = () => new Promise<never>(() => {});

/**
 * One per tab and app (URL): elects the leader with a Web Lock, runs the hub there, and carries
 * frames between this tab's sockets and the hub over a BroadcastChannel. Each tab also holds a
 * lock of its own for its lifetime, so the others learn when it is gone, crashed or closed:
 * the hub drops its subscriptions, and the followers of a gone leader reconnect to the next.
 * @internal
 */
export class TabRouter implements LinkRouter {
  readonly tab = crypto.randomUUID();
  /** Who leads, as this tab last learned. (A plain getter: this chunk imports nothing from the core.) */
  readonly role: { get(): TabRole };
  #current: TabRole = { tab: this.tab, leader: false, leaderTab: undefined };
  readonly #channel: BroadcastChannel;
  readonly #links = new Map<string, TabSocketLink>();
  /** Open links waiting for an answer from a hub (sent again when a new leader speaks up). */
  readonly #pending = new Set<string>();
  #hub: SocketHub | undefined;
  readonly #hubLinkTabs = new Map<string, string>();
  readonly #watched = new Set<string>();
  readonly #alive: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly WebSocketImpl: WebSocketConstructor,
    private readonly loadCodec: () => Codec | Promise<Codec>,
  ) {
    this.role = { get: () => this.#current };
    this.#channel = new BroadcastChannel(`wirestore-tabs.v1:${name}`);
    this.#channel.onmessage = (event: MessageEvent<TabMessage>) => {
      try {
        this.#receive(event.data);
      } catch (error) {
        // Only this origin's scripts can post here; a message of another shape is a bug there, not a crash here.
        console.warn('[wirestore] ignored a malformed message between tabs:', error);
      }
    };
    // Held before this tab asks the hub for anything: a hub that sees it free takes the tab for gone.
    this.#alive = new Promise<void>((held) =>
      navigator.locks.request(this.#tabLock(this.tab), () => {
        held();
        return forever();
      }),
    );
    void navigator.locks.request(`wirestore-leader.v1:${name}`, async () => {
      await this.#lead();
      return forever();
    });
  }

  // ---- LinkRouter: this tab's sockets ----

  open(socket: TabSocketLink): void {
    this.#links.set(socket.link, socket);
    this.#pending.add(socket.link);
    this.#ask(socket);
  }

  /** Connects a socket: through this tab's hub, or (once this tab's lock is held) the leader's. */
  #ask(socket: TabSocketLink): void {
    if (this.#hub) return this.#hub.open(socket.link, socket.url, socket.protocol);
    void this.#alive.then(() => {
      if (this.#pending.has(socket.link) && !this.#hub)
        this.#post({ kind: 'open', tab: this.tab, link: socket.link, url: socket.url, protocol: socket.protocol });
      else if (this.#pending.has(socket.link)) this.#hub?.open(socket.link, socket.url, socket.protocol);
    });
  }

  send(link: string, payload: Payload): void {
    if (this.#hub) this.#hub.send(link, payload);
    else this.#post({ kind: 'send', link, payload });
  }

  close(link: string): void {
    this.#links.delete(link);
    this.#pending.delete(link);
    if (this.#hub) this.#hub.close(link);
    else this.#post({ kind: 'close', link });
  }

  // ---- the channel ----

  #receive(message: TabMessage): void {
    switch (message.kind) {
      case 'leader':
        return this.#newLeader(message.tab);
      case 'opened':
        this.#pending.delete(message.link);
        if (this.#links.has(message.link)) this.#knowLeader(message.hub);
        return this.#links.get(message.link)?.opened();
      case 'deliver':
        for (const link of message.links) this.#links.get(link)?.message(message.payload);
        return;
      case 'closed':
        return this.#dropLink(message.link, message.code, message.reason);
    }
    const hub = this.#hub;
    if (!hub) return;
    if (message.kind === 'open') {
      this.#hubLinkTabs.set(message.link, message.tab);
      this.#watchFollower(message.tab);
      hub.open(message.link, message.url, message.protocol);
    } else if (message.kind === 'send') hub.send(message.link, message.payload);
    else {
      this.#hubLinkTabs.delete(message.link);
      hub.close(message.link);
    }
  }

  /** This tab got the leader lock: it runs the hub, and every link reconnects through it. */
  async #lead(): Promise<void> {
    const codec = await this.loadCodec();
    this.#hub = new SocketHub(codec, this.WebSocketImpl, this.#outlet());
    this.#current = { tab: this.tab, leader: true, leaderTab: this.tab };
    this.#post({ kind: 'leader', tab: this.tab });
    this.#handover();
  }

  #newLeader(tab: string): void {
    if (tab === this.tab) return;
    this.#current = { tab: this.tab, leader: false, leaderTab: tab };
    this.#handover();
  }

  /**
   * A new hub: links that were open through the old one close with HANDOVER (their clients
   * reconnect at once, resubscribe from their positions and resend their calls); links still
   * waiting ask the new hub.
   */
  #handover(): void {
    for (const [link, socket] of this.#links) {
      if (this.#pending.has(link) && socket.readyState === 0) this.#ask(socket);
      else this.#dropLink(link, TabClose.HANDOVER, 'the tab holding the shared socket changed');
    }
  }

  #dropLink(link: string, code: number, reason: string): void {
    const socket = this.#links.get(link);
    this.#links.delete(link);
    this.#pending.delete(link);
    socket?.closed(code, reason);
  }

  /** Where the hub's output goes: this tab's links directly, the others' through the channel. */
  #outlet(): HubOutlet {
    const local = (link: string) => this.#links.get(link);
    return {
      opened: (link) => {
        const socket = local(link);
        if (!socket) return this.#post({ kind: 'opened', link, hub: this.tab });
        this.#pending.delete(link);
        socket.opened();
      },
      deliver: (links, payload) => {
        const remote: string[] = [];
        for (const link of links) {
          const socket = local(link);
          if (socket) socket.message(payload);
          else remote.push(link);
        }
        if (remote.length > 0) this.#post({ kind: 'deliver', links: remote, payload });
      },
      closed: (link, code, reason) => {
        this.#hubLinkTabs.delete(link);
        if (local(link)) this.#dropLink(link, code, reason);
        else this.#post({ kind: 'closed', link, code, reason });
      },
    };
  }

  /** The hub learns when a follower tab is gone (its lock frees), and drops its links. */
  #watchFollower(tab: string): void {
    this.#watchTab(tab, () => {
      for (const [link, owner] of this.#hubLinkTabs) {
        if (owner !== tab) continue;
        this.#hubLinkTabs.delete(link);
        this.#hub?.close(link);
        this.#post({ kind: 'closed', link, code: TabClose.HANDOVER, reason: 'the hub took this tab for gone' });
      }
    });
  }

  /**
   * A follower that joined after the leader spoke up learns it from its first answer. (It need
   * not watch the leader's tab: when that goes, the next tab in line for the lock announces itself.)
   */
  #knowLeader(tab: string): void {
    if (this.#current.leaderTab !== tab) this.#current = { tab: this.tab, leader: false, leaderTab: tab };
  }

  #watchTab(tab: string, gone: () => void): void {
    if (this.#watched.has(tab) || tab === this.tab) return;
    this.#watched.add(tab);
    void navigator.locks.request(this.#tabLock(tab), () => {
      this.#watched.delete(tab);
      gone();
    });
  }

  #tabLock(tab: string): string {
    return `wirestore-tab.v1:${this.name}:${tab}`;
  }

  #post(message: TabMessage): void {
    this.#channel.postMessage(message);
  }
}

const routers = new Map<string, TabRouter>();

/** This tab's router for the app at `name` (one, however many clients share it). */
export function tabRouter(name: string, WebSocketImpl: WebSocketConstructor, loadCodec: () => Codec | Promise<Codec>): TabRouter {
  let router = routers.get(name);
  if (!router) routers.set(name, (router = new TabRouter(name, WebSocketImpl, loadCodec)));
  return router;
}
