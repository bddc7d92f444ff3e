/** The socket URL on the page's own origin: `/ws`, `wss:` on https pages. Read only when connecting (SSR-safe). */
export function defaultSocketUrl(): string {
  const location = globalThis.location as Location | undefined;
  if (!location?.host) throw new TypeError('wirestore: no page origin to derive the socket URL from: pass createClient({ url })');
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

/** What separates this client's stored data (persisted streams, offline queue) from other servers'. */
export function storageNamespace(url: string | undefined): string {
  return url ?? (globalThis.location as Location | undefined)?.host ?? 'default';
}
