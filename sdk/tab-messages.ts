/** A WebSocket payload as it crosses between tabs (BroadcastChannel clones ArrayBuffers). */
export type Payload = string | ArrayBuffer;

/**
 * What the tabs of one app say to each other on their BroadcastChannel. A link is one client's
 * virtual socket; the hub is the leader tab's end, holding the one real socket. @internal
 */
export type TabMessage =
  /** A tab took the lead (the Web Lock passed to it); its hub serves links from now on. */
  | { kind: 'leader'; tab: string }
  /** A link asks the hub to connect it. */
  | { kind: 'open'; tab: string; link: string; url: string; protocol: string }
  /** The hub connected a link: its socket is open (the server's hello follows as a frame). */
  | { kind: 'opened'; link: string; hub: string }
  /** A frame from a link, for the server. */
  | { kind: 'send'; link: string; payload: Payload }
  /** A frame from the server, for some links. */
  | { kind: 'deliver'; links: string[]; payload: Payload }
  /** A link closed by its client. */
  | { kind: 'close'; link: string }
  /** The hub closed a link (the real socket closed, or it refused the link). */
  | { kind: 'closed'; link: string; code: number; reason: string };

/**
 * Close codes between a tab's sockets and the hub. The standard ones are `CloseCode`'s; they are
 * repeated here so the tab-sharing chunk imports nothing from the core bundle. `HANDOVER` never
 * goes on the wire: the tab holding the shared socket changed, reconnect at once through the next.
 */
export const TabClose = { NORMAL: 1000, POLICY_VIOLATION: 1008, HANDOVER: 4010 } as const;
