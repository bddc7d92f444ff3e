import { escape } from './html';
import type { Recorder } from './recorder';
import { chaosTab, runChaos } from './tab-chaos';
import { connectionTab, presenceTab, queueTab, streamsTab } from './tab-state';
import { placeMarkers, timelineTab } from './tab-timeline';
import { callsTab, trafficTab } from './tab-wire';

export const TABS = ['timeline', 'connection', 'streams', 'calls', 'queue', 'presence', 'traffic', 'chaos'] as const;
export type Tab = (typeof TABS)[number];

export interface ViewState {
  tab: Tab;
  client: number;
  filter: string;
  paused: boolean;
  /** Exports replace every value (call arguments, frame payloads) with "[redacted]". */
  redact: boolean;
}

/**
 * The panel's four parts. Each is redrawn only when its HTML changed, and their controls are
 * handled by delegation on the panel, so a redraw never takes a button from under a click.
 */
export function buildPanel(panel: HTMLElement, current: () => Recorder | undefined, view: ViewState, redraw: () => void): void {
  panel.innerHTML = `<header data-drag title="drag to move"></header><div class="counters"></div><nav role="tablist"></nav><div class="body" role="tabpanel"></div>`;
  const act = (target: HTMLElement) => {
    const recorder = current();
    if (!recorder) return;
    const control = target.closest<HTMLElement>('[data-tab], [data-action], [data-drop], [data-chaos]');
    if (!control) return;
    const { tab, action, drop, chaos } = control.dataset;
    if (tab) sessionStorage.setItem('wirestore-devtools-tab', (view.tab = tab as Tab));
    else if (chaos) runChaos(chaos, panel, recorder);
    else if (drop) {
      recorder.note('queue', 'entry dropped from the devtools');
      void recorder.internals.queue()?.drop(drop).then(redraw);
    } else if (action === 'pause') view.paused = !view.paused;
    else if (action === 'close') document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    else if (action === 'export') download(recorder, view.redact);
    else if (action === 'flush') {
      recorder.note('queue', 'flush requested from the devtools');
      recorder.client.connect();
      void recorder.internals.queue()?.replay().then(redraw);
    } else return;
    redraw();
  };
  panel.addEventListener('click', (event) => act(event.target as HTMLElement));
  panel.addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement;
    if (input.tagName === 'SELECT') view.client = Number(input.value);
    else if (input.dataset.action === 'redact') view.redact = input.checked;
    else if ('filter' in input.dataset) view.filter = input.value;
    else return;
    redraw();
  });
}

/** Draws the panel built by `buildPanel` for one recorder. */
export function renderPanel(panel: HTMLElement, recorder: Recorder, clients: number, view: ViewState): void {
  const [header, counters, nav, body] = Array.from(panel.children) as HTMLElement[];
  const status = recorder.client.status.get();
  update(
    header!,
    `<strong>wirestore</strong><span>${escape(status.state)}</span>
    ${clients > 1 ? `<select aria-label="client">${Array.from({ length: clients }, (_, i) => `<option value="${i}" ${i === view.client ? 'selected' : ''}>client ${i + 1}</option>`).join('')}</select>` : ''}
    <span class="grow"></span>
    <button data-action="pause">${view.paused ? 'resume' : 'pause'}</button>
    <label><input type="checkbox" data-action="redact" ${view.redact ? 'checked' : ''}> redact</label>
    <button data-action="export">export</button>
    <button data-action="close" aria-label="close">×</button>`,
  );
  update(
    counters!,
    Object.entries(recorder.counters())
      .map(([name, value]) => `<span>${name} <b>${value}</b></span>`)
      .join(''),
  );
  update(nav!, TABS.map((tab) => `<button role="tab" data-tab="${tab}" aria-selected="${tab === view.tab}">${tab}</button>`).join(''));
  // Never take the text from under the user's cursor.
  if ((panel.getRootNode() as ShadowRoot).activeElement?.matches('.body input')) return;
  if (update(body!, tabBody(recorder, view))) placeMarkers(body!);
}

const drawn = new WeakMap<HTMLElement, string>();

/** Replaces an element's content when it changed (keeping which `<details>` are open); says whether it did. */
function update(element: HTMLElement, html: string): boolean {
  if (drawn.get(element) === html) return false;
  drawn.set(element, html);
  const open = Array.from(element.querySelectorAll('details'), (details) => details.open);
  element.innerHTML = html;
  element.querySelectorAll('details').forEach((details, index) => (details.open ||= open[index] ?? false));
  return true;
}

function tabBody(recorder: Recorder, view: ViewState): string {
  switch (view.tab) {
    case 'timeline':
      return timelineTab(recorder);
    case 'connection':
      return connectionTab(recorder);
    case 'streams':
      return streamsTab(recorder);
    case 'calls':
      return callsTab(recorder);
    case 'queue':
      return queueTab(recorder);
    case 'presence':
      return presenceTab(recorder);
    case 'traffic':
      return trafficTab(recorder, view.filter);
    case 'chaos':
      return chaosTab(recorder);
  }
}

const REDACTED = () => '[redacted]';

function download(recorder: Recorder, redact: boolean): void {
  const bundle = recorder.export(redact ? REDACTED : undefined);
  const blob = new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `wirestore-devtools-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
