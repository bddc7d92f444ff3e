/** What the connection does when the browser reports a change. */
export interface BrowserEventHandlers {
  /** The network came back, or a hidden page became visible: time to retry at once. */
  comeBack(): void;
  /** The browser reports no network. */
  wentOffline(): void;
}

/**
 * Listens to `online`, `offline` and `visibilitychange` (browsers only; undefined elsewhere, SSR
 * and Node included). Returns the function that stops listening.
 */
export function watchBrowser(handlers: BrowserEventHandlers): (() => void) | undefined {
  const win = globalThis.window as (Window & typeof globalThis) | undefined;
  const doc = globalThis.document as Document | undefined;
  if (!win?.addEventListener) return undefined;
  let wasHidden = doc?.visibilityState === 'hidden';
  const onOnline = () => handlers.comeBack();
  const onOffline = () => handlers.wentOffline();
  const onVisibility = () => {
    if (doc?.visibilityState === 'hidden') wasHidden = true;
    else if (wasHidden) {
      wasHidden = false;
      handlers.comeBack();
    }
  };
  win.addEventListener('online', onOnline);
  win.addEventListener('offline', onOffline);
  doc?.addEventListener('visibilitychange', onVisibility);
  return () => {
    win.removeEventListener('online', onOnline);
    win.removeEventListener('offline', onOffline);
    doc?.removeEventListener('visibilitychange', onVisibility);
  };
}

/** Whether a browser says it has no network (never true outside a browser). */
export function isBrowserOffline(): boolean {
  const nav = globalThis.navigator as Navigator | undefined;
  return typeof globalThis.window !== 'undefined' && nav?.onLine === false;
}
