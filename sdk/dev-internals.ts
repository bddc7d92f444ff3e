import type { Client } from './client-types';
import type { WebSocketConstructor } from './connection';
import type { ReliabilityCounts } from './reliability';
import type { StreamCache } from './stream-cache';
import type { TabRole } from './tab-router';

/**
 * What the devtools read of a client. Filled in development builds only: every use sits behind
 * `process.env.NODE_ENV !== 'production'`, which bundlers replace, so a production build drops it
 * with the code that fills it. @internal
 */
export interface ClientInternals {
  client: Client;
  counts: ReliabilityCounts;
  streams: StreamCache;
  /** The connection's settings: the devtools swap in an observing WebSocket here. */
  socket: { WebSocket: WebSocketConstructor | undefined };
  url: string | undefined;
  /** The offline queue once loaded (clients with `offline: { queue: true }`), for its flush and drop. */
  queue(): { replay(): Promise<void>; drop(id: string): Promise<void> } | undefined;
  /** With `shareAcrossTabs`: this tab's id and which tab holds the socket. */
  tabRole(): TabRole | undefined;
}

/** @internal */
export const clientInternals = new WeakMap<object, ClientInternals>();

/** Ends when the devtools recorder is in place, so the first socket is observed too. @internal */
export const recorderReady = new WeakMap<object, Promise<unknown>>();
