import type { HttpRequest, HttpResponse, us_socket_context_t } from 'uWebSockets.js';
import { codecNameFromSubprotocol, subprotocolFor, type Codec } from '../protocol/codec';
import { CloseCode } from '../protocol/close-codes';
import { LiveError } from './live-error';
import type { Logger, UpgradeRequest } from './options';
import { KeyedBuckets, type RateLimitOptions } from './rate-limit';

/** Picks the first offered `wirestore.v1.*` subprotocol with a known codec; JSON when none is offered. */
export function negotiateCodec(offered: string, codecs: ReadonlyMap<string, Codec>): { codec: Codec; protocol: string } | undefined {
  if (offered.trim() === '') return { codec: codecs.get('json')!, protocol: '' };
  // The usual case, one protocol offered, without splitting.
  const only = offered.includes(',') ? undefined : codecs.get(codecNameFromSubprotocol(offered) ?? '');
  if (only) return { codec: only, protocol: offered.trim() };
  for (const candidate of offered.split(',')) {
    const codec = codecs.get(codecNameFromSubprotocol(candidate) ?? '');
    if (codec) return { codec, protocol: subprotocolFor(codec.name) };
  }
  return undefined;
}

/** Decides from the request's `Origin` whether a page may open a socket (see `allowedOrigins`). */
export type OriginCheck = (request: UpgradeRequest) => boolean;

/** `https://a.example:8443` → `a.example:8443`; undefined for anything that is not an http(s) origin. */
function hostOfOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds the origin check. No `Origin` header: not a browser acting for a visitor, allowed (then
 * `authenticate` decides). Default: the origin's host must equal the request's `Host`.
 */
/** The per-IP upgrade limit (default 20 a second, bursts of 40), or undefined when turned off. */
export function upgradeLimiter(rateLimit: RateLimitOptions | undefined): ((ip: string) => boolean) | undefined {
  const limit = rateLimit?.upgradesPerIp === false ? undefined : (rateLimit?.upgradesPerIp ?? { perSecond: 20, burst: 40 });
  if (!limit) return undefined;
  const buckets = new KeyedBuckets(limit.perSecond, limit.burst);
  return (ip) => buckets.take(ip);
}

export function originPolicy(
  allowed: readonly string[] | ((origin: string, request: UpgradeRequest) => boolean) | '*' | undefined,
): OriginCheck {
  if (allowed === '*') return () => true;
  if (typeof allowed === 'function') return (request) => request.headers.origin === undefined || allowed(request.headers.origin, request);
  const listed = allowed && new Set(allowed.map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
  return (request) => {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    if (listed) return listed.has(origin.toLowerCase());
    const host = hostOfOrigin(origin);
    return host !== undefined && host.toLowerCase() === (request.headers.host ?? '').toLowerCase();
  };
}

/** Why `authenticate` refused, as the close code and reason the client gets. */
export interface SocketRefusal {
  code: number;
  reason: string;
}

/** A `LiveError('UNAUTHORIZED' | 'FORBIDDEN', reason)` thrown by `authenticate`, as a refusal. */
function refusalOf(error: unknown): SocketRefusal | undefined {
  if (!(error instanceof LiveError)) return undefined;
  const code = error.code === 'FORBIDDEN' ? CloseCode.FORBIDDEN : error.code === 'UNAUTHORIZED' ? CloseCode.UNAUTHORIZED : undefined;
  // A close reason holds at most 123 bytes of UTF-8.
  return code === undefined ? undefined : { code, reason: truncateUtf8(error.message, 123) };
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return text;
  return new TextDecoder().decode(bytes.slice(0, maxBytes)).replace(/\uFFFD$/, '');
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

export interface UpgradeDeps<User> {
  codecs: ReadonlyMap<string, Codec>;
  authenticate: ((request: UpgradeRequest) => User | false | null | undefined | Promise<User | false | null | undefined>) | undefined;
  logger: Logger;
  /** The origin check: false answers HTTP 403. */
  admitOrigin: OriginCheck;
  /** Per-IP upgrade limit: false answers HTTP 429. */
  admit: ((ip: string) => boolean) | undefined;
  /** Take the client's address from `X-Forwarded-For` when the peer is loopback (see `forwardUpgrades`). */
  trustProxy: boolean;
  /** Builds the socket's user data once the upgrade is accepted. */
  accept(user: User | undefined, codec: Codec): object;
}

/** An IP address as uWS gives it: ASCII bytes. */
const latin1 = new TextDecoder('latin1');

/**
 * What `authenticate` and the limits see of the request, copied out of `req` (uWS invalidates it
 * when the handler returns). Without `authenticate` (the only reader of the rest) only the two
 * headers the origin check reads are copied, and the IP only when a per-IP limit needs it: every
 * upgrade's garbage grows the heap a little, and idle connections pay for it.
 */
function readRequest(res: HttpResponse, req: HttpRequest, allHeaders: boolean, withIp: boolean, trustProxy: boolean): UpgradeRequest {
  const headers: Record<string, string> = {};
  if (allHeaders) {
    req.forEach((name, value) => {
      headers[name] = value;
    });
  } else {
    const origin = req.getHeader('origin');
    if (origin) headers.origin = origin;
    headers.host = req.getHeader('host');
  }
  return {
    url: allHeaders ? req.getUrl() : '',
    query: allHeaders ? (req.getQuery() ?? '') : '',
    headers,
    ip: withIp ? clientAddress(latin1.decode(res.getRemoteAddressAsText()), trustProxy ? req.getHeader('x-forwarded-for') : '') : '',
  };
}

/** Loopback, as uWS writes it for IPv4 and IPv6 peers. */
const LOOPBACK = /^(127\.|::1$|0000:0000:0000:0000:0000:0000:0000:0001$|::ffff:127\.|0000:0000:0000:0000:0000:ffff:7f)/i;

/**
 * The client's address: the peer's, or (behind a trusted forwarder on loopback) the last entry of
 * `X-Forwarded-For`, the one that forwarder added; earlier entries are the client's to forge.
 */
function clientAddress(peer: string, forwardedFor: string): string {
  if (!forwardedFor || !LOOPBACK.test(peer)) return peer;
  return forwardedFor.slice(forwardedFor.lastIndexOf(',') + 1).trim() || peer;
}

/**
 * The uWS `upgrade` handler: checks the rate and the origin, negotiates the codec, runs
 * `authenticate`, answers 429/403/400/500, or upgrades (a refused client's socket is then closed
 * with 4401/4403). Everything needed is copied out of `req` first: uWS invalidates it when this function
 * returns, and `res` must not be touched after the client aborts.
 */
export function handleUpgrade<User>(deps: UpgradeDeps<User>, res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void {
  const secKey = req.getHeader('sec-websocket-key');
  const secProtocol = req.getHeader('sec-websocket-protocol');
  const secExtensions = req.getHeader('sec-websocket-extensions');
  const request = readRequest(
    res,
    req,
    deps.authenticate !== undefined,
    deps.authenticate !== undefined || deps.admit !== undefined,
    deps.trustProxy,
  );

  if (deps.admit && !deps.admit(request.ip)) {
    res.writeStatus('429 Too Many Requests').writeHeader('Retry-After', '1').end('too many connection attempts');
    return;
  }
  if (!deps.admitOrigin(request)) {
    res.writeStatus('403 Forbidden').end(`origin ${JSON.stringify(request.headers.origin)} may not open a socket here; see allowedOrigins`);
    return;
  }
  const negotiated = negotiateCodec(secProtocol, deps.codecs);
  if (!negotiated) {
    const known = [...deps.codecs.keys()].map(subprotocolFor).join(', ');
    res.writeStatus('400 Bad Request').end(`unsupported WebSocket subprotocol; offer one of: ${known}`);
    return;
  }

  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  // A refusal upgrades, then closes with 4401/4403 and the reason (socket-behavior's `open`):
  // the only way a browser learns why, and that it should not retry.
  const upgrade = (user: User | undefined, refused?: SocketRefusal) => {
    if (aborted) return;
    res.cork(() => {
      const data = deps.accept(user, negotiated.codec);
      res.upgrade(refused ? { ...data, refused } : data, secKey, negotiated.protocol, secExtensions, context);
    });
  };
  const finish = (user: User | false | null | undefined) =>
    deps.authenticate && !user ? upgrade(undefined, { code: CloseCode.UNAUTHORIZED, reason: 'unauthorized' }) : upgrade(user || undefined);
  const fail = (error: unknown) => {
    const refused = refusalOf(error);
    if (refused) return upgrade(undefined, refused);
    deps.logger.error('[wirestore] authenticate threw; answering 500:', error);
    if (!aborted) res.cork(() => res.writeStatus('500 Internal Server Error').end('authentication failed'));
  };

  if (!deps.authenticate) return finish(undefined);
  let outcome: ReturnType<NonNullable<typeof deps.authenticate>>;
  try {
    outcome = deps.authenticate(request);
  } catch (error) {
    return fail(error);
  }
  if (isThenable(outcome)) outcome.then(finish, fail);
  else finish(outcome);
}
