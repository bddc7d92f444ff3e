import { escape, table, time } from './html';
import type { Recorder, TimelineEntry } from './recorder';

const SHOWN = 300;
/** Words that mark an entry as trouble, or as trouble healed, for its marker's colour. */
const BAD = /^(dropped|gap|ended|reloaded|pressure on|frame refused|denied|seq \d+ dropped)/;
const GOOD = /^(open|resumed|backfilled|replay done|pressure off|loaded|subscribed)/;

const kindOf = (entry: TimelineEntry) => (BAD.test(entry.what) ? 'bad' : GOOD.test(entry.what) ? 'good' : 'info');

/**
 * The reliability timeline: one swimlane per lane (the connection, each topic, the queue, the
 * server) with a marker per entry, placed by time, and the entries as a table below, newest first.
 */
export function timelineTab(recorder: Recorder): string {
  const entries = recorder.timeline.toArray().slice(-SHOWN);
  if (entries.length === 0) return '<p class="muted">nothing yet</p>';
  const from = entries[0]!.at;
  const span = Math.max(1000, Date.now() - from);
  const lanes = [...new Set(entries.map((entry) => entry.lane))].sort((a, b) => laneOrder(a) - laneOrder(b) || a.localeCompare(b));
  const swimlanes = lanes
    .map((lane) => {
      const markers = entries
        .filter((entry) => entry.lane === lane)
        .map(
          (entry) =>
            `<i class="mark ${kindOf(entry)}" data-x="${(((entry.at - from) / span) * 100).toFixed(2)}" title="${escape(`${time(entry.at)} ${entry.what}`)}"></i>`,
        )
        .join('');
      return `<div class="swimlane"><span class="lane">${escape(lane)}</span><span class="track">${markers}</span></div>`;
    })
    .join('');
  const rows = entries
    .slice()
    .reverse()
    .map((entry) => [
      time(entry.at),
      `<span class="lane">${escape(entry.lane)}</span>`,
      `<span class="${kindOf(entry)}">${escape(entry.what)}</span>`,
    ]);
  return `<div class="swimlanes" aria-label="timeline lanes">${swimlanes}<div class="span muted">last ${Math.round(span / 1000)} s</div></div>${table(['time', 'lane', 'what'], rows)}`;
}

/** Places the markers drawn by `timelineTab`. Through the CSSOM, so a strict CSP (no inline styles) allows it. */
export function placeMarkers(panel: HTMLElement): void {
  panel.querySelectorAll<HTMLElement>('.mark[data-x]').forEach((mark) => (mark.style.left = `${mark.dataset.x}%`));
}

function laneOrder(lane: string): number {
  if (lane === 'connection') return 0;
  if (lane.startsWith('topic:')) return 1;
  return lane === 'queue' ? 2 : 3;
}
