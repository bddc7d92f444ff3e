import type { Recorder } from './recorder';

export const TABS = ['timeline', 'connection', 'streams', 'calls', 'traffic', 'chaos'] as const;
export type Tab = (typeof TABS)[number];

export interface ViewState {
  tab: Tab;
  client: number;
  filter: string;
  paused: boolean;
}

const escape = (text: unknown) => String(text).replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
const time = (at: number) => new Date(at).toISOString().slice(11, 23);
/** A short, safe preview: values are formatted only here, when shown. */
const preview = (value: unknown, max = 160) => {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return escape(text.length > max ? `${text.slice(0, max)}…` : text);
};

/** Draws the whole panel for one recorder; `redraw` after a control changed the view. */
export function renderPanel(panel: HTMLElement, recorder: Recorder, clients: number, view: ViewState, redraw: () => void): void {
  const focused = (panel.getRootNode() as ShadowRoot).activeElement;
  if (focused && focused.tagName === 'INPUT') return; // never take the text from under the user's cursor
  const counters = recorder.counters();
  const status = recorder.client.status.get();
  panel.innerHTML = `
    <header>
      <strong>wirestore</strong><span>${escape(status.state)}</span>
      ${clients > 1 ? `<select aria-label="client">${Array.from({ length: clients }, (_, i) => `<option value="${i}" ${i === view.client ? 'selected' : ''}>client ${i + 1}</option>`).join('')}</select>` : ''}
      <span style="flex:1"></span>
      <button data-action="pause">${view.paused ? 'resume' : 'pause'}</button>
      <button data-action="export">export</button>
      <button data-action="close" aria-label="close">×</button>
    </header>
    <div class="counters">${Object.entries(counters)
      .map(([name, value]) => `<span>${name} <b>${value}</b></span>`)
      .join('')}</div>
    <nav role="tablist">${TABS.map((tab) => `<button role="tab" data-tab="${tab}" aria-selected="${tab === view.tab}">${tab}</button>`).join('')}</nav>
    <div class="body" role="tabpanel">${body(recorder, view)}</div>`;
  panel.querySelectorAll<HTMLButtonElement>('[data-tab]').forEach((button) =>
    button.addEventListener('click', () => {
      view.tab = button.dataset.tab as Tab;
      sessionStorage.setItem('wirestore-devtools-tab', view.tab);
      redraw();
    }),
  );
  panel.querySelector('select')?.addEventListener('change', (event) => {
    view.client = Number((event.target as HTMLSelectElement).value);
    redraw();
  });
  panel.querySelector('[data-action="pause"]')?.addEventListener('click', () => {
    view.paused = !view.paused;
    redraw();
  });
  panel
    .querySelector('[data-action="close"]')
    ?.addEventListener('click', () => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' })));
  panel.querySelector('[data-action="export"]')?.addEventListener('click', () => download(recorder));
  panel.querySelector<HTMLInputElement>('[data-filter]')?.addEventListener('change', (event) => {
    view.filter = (event.target as HTMLInputElement).value;
    redraw();
  });
  wireChaos(panel, recorder, redraw);
}

function body(recorder: Recorder, view: ViewState): string {
  switch (view.tab) {
    case 'timeline':
      return table(
        ['time', 'lane', 'what'],
        recorder.timeline
          .toArray()
          .slice(-300)
          .reverse()
          .map((entry) => [time(entry.at), `<span class="lane">${escape(entry.lane)}</span>`, escape(entry.what)]),
      );
    case 'connection':
      return connection(recorder);
    case 'streams':
      return streams(recorder);
    case 'calls':
      return table(
        ['sent', 'path', 'args', 'outcome', 'ms', 'attempt', 'key'],
        recorder.calls
          .toArray()
          .reverse()
          .map((call) => [
            time(call.sentAt),
            escape(call.path) + (call.batch ? ' (batch)' : ''),
            preview(call.args, 80),
            call.outcome === undefined ? 'pending' : call.outcome === 'ok' ? 'ok' : `<span class="bad">${escape(call.outcome)}</span>`,
            call.settledAt ? String(call.settledAt - call.sentAt) : '',
            call.attempt > 1 ? `<span class="bad">${call.attempt}</span>` : '1',
            escape(call.key?.slice(0, 10) ?? '—'),
          ]),
      );
    case 'traffic': {
      const filter = view.filter.toLowerCase();
      const rows = recorder.frames
        .toArray()
        .reverse()
        .map((frame) => ({ frame, decoded: recorder.sockets.decode(frame.payload) }))
        .map(({ frame, decoded }) => ({ frame, text: decoded ? JSON.stringify(decoded) : `(${frame.bytes} bytes, binary)` }))
        .filter(({ text }) => !filter || text.toLowerCase().includes(filter))
        .slice(0, 200)
        .map(({ frame, text }) => [
          time(frame.at),
          `<span class="${frame.direction}">${frame.direction}</span>`,
          String(frame.bytes),
          escape(text.slice(0, 300)),
        ]);
      return `<input data-filter placeholder="filter: topic, event or text" value="${escape(view.filter)}" aria-label="filter frames"> ${table(['time', 'dir', 'bytes', 'frame'], rows)}`;
    }
    case 'chaos':
      return chaos(recorder);
  }
}

function connection(recorder: Recorder): string {
  const { client, url } = recorder.internals;
  const status = client.status.get();
  const pressure = client.pressure.get();
  const queue = client.offlineQueue.get();
  const rows: string[][] = [
    ['url', escape(url ?? '(page origin)/ws')],
    ['state', escape(status.state)],
    ...Object.entries(status)
      .filter(([key]) => key !== 'state')
      .map(([key, value]) => [
        escape(key),
        escape(
          key === 'nextRetryAt' ? `${new Date(Number(value)).toISOString()} (in ${Math.max(0, Number(value) - Date.now())} ms)` : value,
        ),
      ]),
    ['pressure', pressure.active ? escape(pressure.reason) : 'none'],
    ['coalesced', preview(client.coalesced.get())],
    ['offline queue', `${queue.length} waiting${queue.replaying ? ', replaying' : ''}`],
    ...queue.entries.map((entry) => [
      '',
      `${escape(entry.path)} ${preview(entry.args, 60)} <span class="lane">waiting ${Math.round((Date.now() - entry.queuedAt) / 1000)} s</span>`,
    ]),
  ];
  return table(['', ''], rows);
}

function streams(recorder: Recorder): string {
  const rows: string[][] = [];
  recorder.internals.streams.forEach((controller) => {
    const { store } = controller;
    const value = store.get();
    rows.push([
      escape(controller.path) + (controller.args.length ? ` ${preview(controller.args, 40)}` : ''),
      escape(store.status.get()),
      escape(store.lastSync.get() ?? ''),
      Array.isArray(value) ? String(value.length) : value === undefined ? '—' : '1',
      `<details><summary>value</summary><pre>${preview(value, 4000)}</pre></details>`,
    ]);
  });
  return table(['path', 'status', 'last sync', 'items', ''], rows);
}

function chaos(recorder: Recorder): string {
  const sockets = recorder.sockets;
  return `<div class="chaos">
    <div><button data-chaos="offline">${sockets.isOffline ? 'go online' : 'go offline'}</button> as if the network were gone</div>
    <div><button data-chaos="cut">cut the socket</button> with close code <input data-code value="1006" size="5" aria-label="close code"> (4401/4403: terminal, 4429: throttled)</div>
    <div><button data-chaos="latency">set latency</button> <input data-latency value="${sockets.latencyMs}" size="5" aria-label="latency in ms"> ms each way</div>
    <div><button data-chaos="gap">drop the next event</button> to force a gap, then watch the timeline backfill it</div>
  </div>`;
}

function wireChaos(panel: HTMLElement, recorder: Recorder, redraw: () => void): void {
  const sockets = recorder.sockets;
  const value = (selector: string) => Number(panel.querySelector<HTMLInputElement>(selector)?.value ?? 0);
  const on = (name: string, act: () => void) =>
    panel.querySelector(`[data-chaos="${name}"]`)?.addEventListener('click', () => {
      act();
      redraw();
    });
  on('offline', () => (sockets.isOffline ? sockets.online() : sockets.offline()));
  on('cut', () => sockets.cut(value('[data-code]') || 1006));
  on('latency', () => sockets.latency(value('[data-latency]')));
  on('gap', () => sockets.dropNextEvents(1));
  for (const name of ['offline', 'cut', 'latency', 'gap']) on(name, () => recorder.note('devtools', `chaos: ${name}`));
}

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p>nothing yet</p>';
  return `<table><thead><tr>${head.map((cell) => `<th>${cell}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function download(recorder: Recorder): void {
  const blob = new Blob([JSON.stringify(recorder.export(), null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `wirestore-devtools-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
