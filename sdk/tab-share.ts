// Loaded on demand by clients created with `shareAcrossTabs: true`: its own chunk (and CDN file).
import type { Codec } from '../protocol/codec';
import type { BackoffOptions } from './backoff';
import type { CodecChoice } from './codec-choice';
import type { WebSocketConstructor } from './connection';
import { tabRouter, type TabRole, type TabRouter } from './tab-router';
import { tabSocketClass } from './tab-socket';

export type { TabRole };

/**
 * Points a client's connection at this tab's shared socket for its app (its URL's namespace and
 * codec: clients that differ in either do not share). Returns who leads, or undefined where this
 * browser cannot share.
 */
export function shareSocket(
  { codec }: { codec?: CodecChoice },
  namespace: string,
  config: { WebSocket: WebSocketConstructor | undefined; backoff: BackoffOptions },
  loadCodec: () => Codec | Promise<Codec>,
): TabRouter['role'] | undefined {
  // Called before every socket the client opens: the first call decides, later ones keep it (and
  // keep the devtools' observing socket, which wraps the class set here).
  if (roles.has(config)) return roles.get(config);
  roles.set(config, undefined);
  // Without Web Locks or BroadcastChannel (older browsers, Node): a socket per tab, as without the option.
  if (typeof BroadcastChannel !== 'function' || typeof globalThis.navigator?.locks?.request !== 'function') return undefined;
  const codecName = typeof codec === 'object' ? codec.name : (codec ?? 'json');
  const router = tabRouter(`${namespace}:${codecName}`, config.WebSocket ?? WebSocket, loadCodec);
  config.WebSocket = tabSocketClass(router, () => reconnectAtOnce(config));
  roles.set(config, router.role);
  return router.role;
}

const roles = new WeakMap<object, TabRouter['role'] | undefined>();

/**
 * A handover between tabs is no trouble with the server, so the client reconnects at once rather
 * than after its backoff: the next delay it asks for is computed from a base of 0. (Done here,
 * through the backoff settings the connection reads, so clients that never share tabs carry no
 * code for it.)
 */
function reconnectAtOnce(config: { backoff: BackoffOptions }): void {
  const settings = config.backoff;
  config.backoff = {
    ...settings,
    get baseMs() {
      config.backoff = settings; // once
      return 0;
    },
  };
}
