import { OVERLAY_CSS } from './overlay-style';
import type { Recorder } from './recorder';
import { buildPanel, renderPanel, TABS, type Tab, type ViewState } from './panels';

let host: HTMLElement | undefined;
let refresh: ReturnType<typeof setInterval> | undefined;

const SIZE_KEY = 'wirestore-devtools-size';
const PLACE_KEY = 'wirestore-devtools-place';

const view: ViewState = {
  tab: (sessionStorage.getItem('wirestore-devtools-tab') as Tab | null) ?? 'timeline',
  client: 0,
  filter: '',
  paused: false,
  redact: false,
};

/** Opens the overlay, or closes it when open. */
export function toggleOverlay(recorders: Recorder[]): void {
  if (host) return closeOverlay();
  host = document.createElement('div');
  host.setAttribute('data-wirestore-devtools', '');
  const root = host.attachShadow({ mode: 'open' });
  addStyles(root);
  const panel = document.createElement('section');
  panel.className = 'panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', 'wirestore devtools');
  root.append(panel);
  rememberSizeAndPlace(panel);
  document.body.append(host);
  const current = () => recorders[view.client] ?? recorders[0];
  const draw = () => {
    const recorder = current();
    if (recorder) renderPanel(panel, recorder, recorders.length, view);
  };
  buildPanel(panel, current, view, draw);
  draw();
  refresh = setInterval(() => !view.paused && draw(), 500);
  document.addEventListener('keydown', onEscape);
}

/**
 * A constructed stylesheet where the browser has them: a page's Content-Security-Policy without
 * 'unsafe-inline' blocks a `<style>` element but not these. Older browsers get the element.
 */
function addStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(OVERLAY_CSS);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = OVERLAY_CSS;
  root.append(style);
}

/** The panel is resized from its corner and moved by its header; both are kept for the session. */
function rememberSizeAndPlace(panel: HTMLElement): void {
  const size = sessionStorage.getItem(SIZE_KEY)?.split('x').map(Number);
  if (size?.length === 2 && size.every((n) => n > 100)) Object.assign(panel.style, { width: `${size[0]}px`, height: `${size[1]}px` });
  const place = sessionStorage.getItem(PLACE_KEY)?.split(',').map(Number);
  if (place?.length === 2 && place.every((n) => Number.isFinite(n))) placeAt(panel, place[0]!, place[1]!);
  new ResizeObserver(() => {
    if (panel.offsetWidth > 100) sessionStorage.setItem(SIZE_KEY, `${panel.offsetWidth}x${panel.offsetHeight}`);
  }).observe(panel);
  panel.addEventListener('pointerdown', (down) => {
    const header = (down.target as HTMLElement).closest('[data-drag]');
    if (!header || (down.target as HTMLElement).closest('button, select, input, label')) return;
    const box = panel.getBoundingClientRect();
    const offsetX = down.clientX - box.left;
    const offsetY = down.clientY - box.top;
    const move = (event: PointerEvent) => placeAt(panel, event.clientX - offsetX, event.clientY - offsetY);
    const up = () => {
      panel.removeEventListener('pointermove', move);
      const now = panel.getBoundingClientRect();
      sessionStorage.setItem(PLACE_KEY, `${Math.round(now.left)},${Math.round(now.top)}`);
    };
    panel.setPointerCapture(down.pointerId);
    panel.addEventListener('pointermove', move);
    panel.addEventListener('pointerup', up, { once: true });
  });
}

/** Moves the panel's top-left corner to (left, top), kept inside the window. */
function placeAt(panel: HTMLElement, left: number, top: number): void {
  const maxLeft = Math.max(0, innerWidth - Math.min(panel.offsetWidth || 200, innerWidth));
  const maxTop = Math.max(0, innerHeight - 40);
  Object.assign(panel.style, {
    left: `${Math.min(Math.max(0, left), maxLeft)}px`,
    top: `${Math.min(Math.max(0, top), maxTop)}px`,
    right: 'auto',
    bottom: 'auto',
  });
}

function onEscape(event: KeyboardEvent): void {
  if (event.key === 'Escape') closeOverlay();
}

function closeOverlay(): void {
  clearInterval(refresh);
  host?.remove();
  host = undefined;
  document.removeEventListener('keydown', onEscape);
}

export { TABS };
