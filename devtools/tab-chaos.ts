import type { Recorder } from './recorder';

export function chaosTab(recorder: Recorder): string {
  const sockets = recorder.sockets;
  return `<div class="chaos">
    <div><button data-chaos="offline">${sockets.isOffline ? 'go online' : 'go offline'}</button> as if the network were gone</div>
    <div><button data-chaos="cut">cut the socket</button> with close code <input data-code value="1006" size="5" aria-label="close code"> (4401/4403: terminal, 4429: throttled)</div>
    <div><button data-chaos="latency">set latency</button> <input data-latency value="${sockets.latencyMs}" size="5" aria-label="latency in ms"> ms each way</div>
    <div><button data-chaos="gap">drop the next</button> <input data-events value="1" size="3" aria-label="events to drop"> events to force a gap, then watch the timeline backfill it</div>
  </div>`;
}

/** Runs the chaos button `name` (its inputs read from `panel`); the action is noted on the timeline. */
export function runChaos(name: string, panel: HTMLElement, recorder: Recorder): void {
  const sockets = recorder.sockets;
  const value = (selector: string) => Number(panel.querySelector<HTMLInputElement>(selector)?.value ?? 0);
  let what: string;
  if (name === 'offline') {
    if (sockets.isOffline) sockets.online();
    else sockets.offline();
    what = sockets.isOffline ? 'offline' : 'online';
  } else if (name === 'cut') {
    const code = value('[data-code]') || 1006;
    sockets.cut(code);
    what = `cut with ${code}`;
  } else if (name === 'latency') {
    sockets.latency(value('[data-latency]'));
    what = `latency ${sockets.latencyMs} ms`;
  } else {
    const count = Math.max(1, Math.min(1000, value('[data-events]') || 1));
    sockets.dropNextEvents(count);
    what = `drop the next ${count} events`;
  }
  recorder.note('devtools', `chaos: ${what}`);
}
