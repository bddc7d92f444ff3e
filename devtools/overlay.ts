import { OVERLAY_CSS } from './overlay-style';
import type { Recorder } from './recorder';
import { renderPanel, TABS, type Tab, type ViewState } from './panels';

let host: HTMLElement | undefined;
let refresh: ReturnType<typeof setInterval> | undefined;

const view: ViewState = {
  tab: (sessionStorage.getItem('wirestore-devtools-tab') as Tab | null) ?? 'timeline',
  client: 0,
  filter: '',
  paused: false,
};

/** Opens the overlay, or closes it when open. */
export function toggleOverlay(recorders: Recorder[]): void {
  if (host) return closeOverlay();
  host = document.createElement('div');
  host.setAttribute('data-wirestore-devtools', '');
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = OVERLAY_CSS;
  const panel = document.createElement('section');
  panel.className = 'panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', 'wirestore devtools');
  root.append(style, panel);
  // Its size is remembered for the session (the panel is resizable from its corner).
  const size = sessionStorage.getItem('wirestore-devtools-size')?.split('x').map(Number);
  if (size?.length === 2 && size.every((n) => n > 100)) Object.assign(panel.style, { width: `${size[0]}px`, height: `${size[1]}px` });
  new ResizeObserver(() => {
    if (panel.offsetWidth > 100) sessionStorage.setItem('wirestore-devtools-size', `${panel.offsetWidth}x${panel.offsetHeight}`);
  }).observe(panel);
  document.body.append(host);
  const draw = () => {
    const recorder = recorders[view.client] ?? recorders[0];
    if (recorder) renderPanel(panel, recorder, recorders.length, view, draw);
  };
  draw();
  refresh = setInterval(() => !view.paused && draw(), 500);
  document.addEventListener('keydown', onEscape);
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
