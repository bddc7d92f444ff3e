import { CURSORS_STREAM, PRESENCE_STREAM } from '../protocol/frames';
import { streamKey } from './derive';
import { escape, preview, table, time } from './html';
import { peekEvent } from './observed-sockets';
import type { Recorder } from './recorder';

const LAST_EVENTS = 20;
const isPresencePath = (path: string) => path === PRESENCE_STREAM || path === CURSORS_STREAM;

export function connectionTab(recorder: Recorder): string {
  const { client, url } = recorder.internals;
  const status = client.status.get();
  const pressure = client.pressure.get();
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
    [
      'round trip',
      recorder.derivation.rttMs === undefined ? 'no heartbeat answered yet' : `${recorder.derivation.rttMs} ms (last heartbeat)`,
    ],
    [
      'last close',
      recorder.lastClose
        ? escape(
            `${recorder.lastClose.code} ${recorder.lastClose.reason} (${recorder.lastClose.closeClass}) at ${time(recorder.lastClose.at)}`,
          )
        : 'none',
    ],
    ['tabs', tabsRow(recorder)],
    ['pressure', pressure.active ? escape(pressure.reason) : 'none'],
    ['coalesced', preview(client.coalesced.get())],
  ];
  return table(['', ''], rows);
}

/** With `shareAcrossTabs`: whether this tab holds the shared socket, or which tab does. */
function tabsRow(recorder: Recorder): string {
  const role = recorder.internals.tabRole();
  if (!role) return 'a socket of its own (shareAcrossTabs is off, or this browser cannot share)';
  if (role.leader) return `this tab leads: it holds the socket the other tabs share (tab ${escape(role.tab.slice(0, 8))})`;
  return `follows tab ${escape(role.leaderTab?.slice(0, 8) ?? '(not known yet)')}, which holds the shared socket`;
}

/** Every live store: path, args, merge, status, last sync, position, items, its value and last events. */
export function streamsTab(recorder: Recorder): string {
  const rows: string[][] = [];
  recorder.internals.streams.forEach((controller) => {
    if (isPresencePath(controller.path)) return;
    const { store } = controller;
    const value = store.get();
    const position = controller.request().resume;
    const declared = recorder.derivation.streams.get(streamKey(controller.path, controller.args));
    rows.push([
      escape(controller.path) + (controller.args.length ? ` ${preview(controller.args, 40)}` : ''),
      declared ? preview(declared.merge, 60) : '—',
      escape(store.status.get()),
      escape(store.lastSync.get() ?? ''),
      position ? `${escape(position.epoch)} / ${position.seq}` : '—',
      Array.isArray(value) ? String(value.length) : value === undefined ? '—' : '1',
      `<details><summary>value</summary><pre>${preview(value, 4000)}</pre></details>` +
        `<details><summary>last events</summary><pre>${declared ? lastEvents(recorder, declared.topic) : 'not subscribed yet'}</pre></details>`,
    ]);
  });
  return table(['path', 'merge', 'status', 'last sync', 'epoch / seq', 'items', ''], rows, 'no store is in use');
}

/** The newest events of one topic still in the frame log, decoded now that they are shown. */
function lastEvents(recorder: Recorder, topic: string): string {
  const shown: string[] = [];
  const frames = recorder.frames.toArray();
  for (let i = frames.length - 1; i >= 0 && shown.length < LAST_EVENTS; i--) {
    const { direction, payload } = frames[i]!;
    // JSON events are told apart by a peek; MessagePack ones only by decoding.
    if (direction === 'out' || (typeof payload === 'string' && peekEvent(payload)?.topic !== topic)) continue;
    const event = recorder.sockets.decode(payload);
    if (event?.topic === topic && event.type === undefined)
      shown.push(`#${String(event.seq)} ${String(event.event)} ${JSON.stringify(event.data)?.slice(0, 200) ?? ''}`);
  }
  return shown.length ? escape(shown.join('\n')) : 'none in the recent traffic';
}

/** The offline queue: each waiting call with its age and attempts, and flush and drop. */
export function queueTab(recorder: Recorder): string {
  const state = recorder.client.offlineQueue.get();
  if (!recorder.internals.queue())
    return '<p class="muted">This client has no offline queue: createClient({ offline: { queue: true } }) adds one.</p>';
  const rows = state.entries.map((entry) => [
    escape(entry.path),
    preview(entry.args, 80),
    `${Math.round((Date.now() - entry.queuedAt) / 1000)} s`,
    String(recorder.derivation.attempts.get(entry.key) ?? 0),
    escape(entry.key.slice(0, 10)),
    `<button data-drop="${escape(entry.id)}" aria-label="drop ${escape(entry.path)}">drop</button>`,
  ]);
  const summary = `${state.length} waiting${state.replaying ? ', replaying' : ''}${
    state.lastError ? `; last failure: ${escape(state.lastError.call.path)} ${escape(state.lastError.error.code)}` : ''
  }`;
  return `<div class="bar"><button data-action="flush">flush now</button><span>${summary}</span></div>${table(
    ['path', 'args', 'waiting', 'attempts', 'key', ''],
    rows,
    'the queue is empty',
  )}`;
}

/** Who is on each presence topic the page has joined, and where their cursors are. */
export function presenceTab(recorder: Recorder): string {
  const sections: string[] = [];
  recorder.internals.streams.forEach((controller) => {
    if (!isPresencePath(controller.path)) return;
    const members = (controller.store.get() ?? []) as Array<Record<string, unknown> & { key: string }>;
    const kind = controller.path === PRESENCE_STREAM ? 'presence' : 'cursors';
    sections.push(
      `<h4>${kind} on ${escape(controller.args[0])} <span class="muted">${escape(controller.store.status.get())}, ${members.length}</span></h4>` +
        table(
          ['key', kind === 'presence' ? 'data' : 'position'],
          members.map(({ key, ...data }) => [escape(key), preview(data, 120)]),
          'nobody yet',
        ),
    );
  });
  return (
    sections.join('') ||
    '<p class="muted">No presence or cursors in use: client.presence(topic) or client.cursors(topic) joins a topic.</p>'
  );
}
