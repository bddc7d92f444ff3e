import { escape, preview, table, time } from './html';
import type { Recorder } from './recorder';

export function callsTab(recorder: Recorder): string {
  const rows = recorder.calls
    .toArray()
    .reverse()
    .map((call) => [
      time(call.sentAt),
      escape(call.path),
      preview(call.args, 80),
      call.outcome === undefined ? 'pending' : call.outcome === 'ok' ? 'ok' : `<span class="bad">${escape(call.outcome)}</span>`,
      call.settledAt ? String(call.settledAt - call.sentAt) : '',
      call.attempt > 1 ? `<span class="bad">${call.attempt}</span>` : '1',
      call.batch === undefined ? '—' : `#${call.batch}`,
      escape(call.key?.slice(0, 10) ?? '—'),
    ]);
  return table(['sent', 'path', 'args', 'outcome', 'ms', 'attempt', 'batch', 'key'], rows);
}

/** Frames in and out, decoded now that they are shown (JSON, or MessagePack once its codec loaded). */
export function trafficTab(recorder: Recorder, filter: string): string {
  const needle = filter.toLowerCase();
  const rows = recorder.frames
    .toArray()
    .reverse()
    .map((frame) => {
      const decoded = recorder.sockets.decode(frame.payload);
      return { frame, text: decoded ? JSON.stringify(decoded) : `(${frame.bytes} bytes, binary)` };
    })
    .filter(({ text }) => !needle || text.toLowerCase().includes(needle))
    .slice(0, 200)
    .map(({ frame, text }) => [
      time(frame.at),
      `<span class="${frame.direction}">${frame.direction}</span>`,
      String(frame.bytes),
      escape(text.slice(0, 300)),
    ]);
  return `<input data-filter placeholder="filter: topic, event or text" value="${escape(filter)}" aria-label="filter frames"> ${table(['time', 'dir', 'bytes', 'frame'], rows)}`;
}
