// wirestore/devtools: the Ctrl+Shift+L overlay. For development builds only: in a production build
// (`process.env.NODE_ENV === 'production'`) clients carry nothing it could read.
import { startRecording, type Recorder } from './recorder';

export type { CallRecord, DevtoolsCounters, FrameRecord, TimelineEntry } from './recorder';

/**
 * Records `client` for the overlay (from now on; `createClient({ devtools: true })` records from
 * the start) and lets Ctrl+Shift+L open it. Returns the recorder's programmatic view.
 * @example if (import.meta.env.DEV) import('wirestore/devtools').then(({ mountDevtools }) => mountDevtools(client));
 */
export function mountDevtools(client: object): Pick<Recorder, 'counters' | 'export'> {
  const recorder = startRecording(client);
  return { counters: () => recorder.counters(), export: (redact) => recorder.export(redact) };
}
