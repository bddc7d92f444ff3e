import type { Codec } from '../protocol/codec';
import type { Client } from '../sdk/client-types';
import type { WebSocketConstructor } from '../sdk/connection';
import { clientInternals, type ClientInternals } from '../sdk/dev-internals';
import type { ConnectionStatus } from '../sdk/status';
import { Ring } from './ring';
import { FrameLog } from './frame-log';
import { ObservedSockets, peekEvent } from './observed-sockets';
import { deriveFromFrame, newDerivation, noteEventOutcome, type Derivation } from './derive';

/** One frame on the wire, kept raw: decoded only when the overlay shows it. */
export interface FrameRecord {
  at: number;
  direction: 'in' | 'out';
  bytes: number;
  payload: string | ArrayBuffer;
}

/** One entry of the reliability timeline. */
export interface TimelineEntry {
  at: number;
  /** `connection`, `queue`, `server`, or `topic:<name>`. */
  lane: string;
  what: string;
}

/** One call, from its frame out to its reply. */
export interface CallRecord {
  id: number;
  path: string;
  args: unknown;
  key: string | undefined;
  /** The number of the batch frame it went out in (counted per client from 1), or undefined when sent alone. */
  batch: number | undefined;
  /** 1 for the first send; more when the same idempotency key went out again (after a drop, or from the queue). */
  attempt: number;
  sentAt: number;
  settledAt?: number;
  outcome?: 'ok' | string;
}

/** Counters shown above the timeline and read by `window.__wirestore__.counters()`. */
export interface DevtoolsCounters {
  reconnects: number;
  gaps: number;
  backfills: number;
  resumes: number;
  reloads: number;
  duplicates: number;
  queueReplays: number;
  coalesced: number;
}

/**
 * Records one client for the overlay, from the moment it is created: frames (raw), the reliability
 * timeline and calls, each in a bounded ring. Loaded only in development builds.
 */
export class Recorder {
  readonly frames = new FrameLog(500);
  readonly timeline = new Ring<TimelineEntry>(2000);
  readonly calls = new Ring<CallRecord>(100);
  readonly sockets: ObservedSockets;
  readonly derivation: Derivation;
  #reconnects = 0;
  /** The last close: its code, reason and class, and when. */
  lastClose: { at: number; code: number; reason: string; closeClass: string } | undefined;
  #queueReplays = 0;

  constructor(readonly internals: ClientInternals) {
    this.derivation = newDerivation((lane, what) => this.note(lane, what));
    const base = internals.socket.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
    this.sockets = new ObservedSockets(base, (direction, payload, frame) => this.#onFrame(direction, payload, frame));
    if (base) internals.socket.WebSocket = this.sockets.constructorFor();
    this.sockets.afterEvent = (payload) => this.#checkCounts(payload);
    this.#watchStatus(internals.client);
    this.#watchQueue(internals.client);
  }

  get client(): Client {
    return this.internals.client;
  }

  note(lane: string, what: string): void {
    this.timeline.push({ at: Date.now(), lane, what });
  }

  counters(): DevtoolsCounters {
    const { counts } = this.internals;
    return {
      reconnects: this.#reconnects,
      gaps: counts.gaps,
      backfills: counts.healed,
      resumes: counts.recovered,
      reloads: counts.reloaded,
      duplicates: counts.duplicates,
      queueReplays: this.#queueReplays,
      coalesced: this.derivation.coalesced,
    };
  }

  /** A bug-report bundle: timeline, frames (decoded where possible) and state, as plain JSON. */
  export(redact: (value: unknown) => unknown = (value) => value): object {
    return {
      exportedAt: new Date().toISOString(),
      url: this.internals.url,
      status: this.client.status.get(),
      counters: this.counters(),
      timeline: this.timeline.toArray(),
      calls: this.calls.toArray().map((call) => ({ ...call, args: redact(call.args) })),
      frames: this.frames.toArray().map(({ payload, ...frame }) => ({ ...frame, frame: redact(this.sockets.decode(payload)) })),
    };
  }

  #onFrame(direction: 'in' | 'out', payload: string | ArrayBuffer, frame: Record<string, unknown> | undefined): void {
    this.frames.push(direction, payload, Date.now());
    if (frame) deriveFromFrame(this.derivation, direction, frame, (call) => this.calls.push(call));
  }

  #seenGaps = 0;
  #seenDuplicates = 0;

  /** After each topic event: did the client count a gap or a duplicate? Only then is it decoded. */
  #checkCounts(payload: string | ArrayBuffer): void {
    const { gaps, duplicates } = this.internals.counts;
    if (gaps === this.#seenGaps && duplicates === this.#seenDuplicates) return;
    const frame = peekEvent(payload) ?? this.sockets.decode(payload);
    if (gaps > this.#seenGaps) noteEventOutcome(this.derivation, frame, 'gap');
    if (duplicates > this.#seenDuplicates) noteEventOutcome(this.derivation, frame, 'duplicate');
    this.#seenGaps = gaps;
    this.#seenDuplicates = duplicates;
  }

  #watchStatus(client: Client): void {
    let previous: ConnectionStatus['state'] = client.status.get().state;
    client.status.listen((status) => {
      if (status.state === 'open') this.note('connection', `open: epoch ${status.epoch}, connection ${status.connectionId}`);
      else if (status.state === 'reconnecting') {
        if (previous !== 'reconnecting') {
          this.#reconnects++;
          this.lastClose = { at: Date.now(), code: status.code, reason: status.reason, closeClass: closeClassOf(status.code) };
        }
        const delay = Math.max(0, Math.round(status.nextRetryAt - Date.now()));
        this.note(
          'connection',
          `dropped: ${status.code}${status.reason ? ` ${status.reason}` : ''} (${closeClassOf(status.code)}); retry #${status.attempt} in ${delay} ms`,
        );
      } else if (status.state === 'terminal') {
        this.lastClose = { at: Date.now(), code: status.code, reason: status.reason, closeClass: 'TERMINAL' };
        this.note('connection', `ended by the server: ${status.code} ${status.reason} (terminal, no retry)`);
      } else this.note('connection', status.state);
      previous = status.state;
    });
  }

  #watchQueue(client: Client): void {
    let replaying = false;
    let length = client.offlineQueue.get().length;
    client.offlineQueue.listen((state) => {
      // A replay with nothing waiting (every reconnect checks the queue) is not worth a line.
      if (state.replaying && !replaying && state.length > 0) {
        replaying = true;
        this.#queueReplays++;
        this.note('queue', `replay started: ${state.length} waiting`);
      } else if (!state.replaying && replaying) {
        replaying = false;
        this.note('queue', `replay done${state.lastError ? `: ${state.lastError.error.code}` : ''}`);
      } else if (state.length > length) this.note('queue', `queued: ${state.length} waiting`);
      length = state.length;
    });
  }
}

function closeClassOf(code: number): string {
  if (code === 1008 || code === 4401 || code === 4403) return 'TERMINAL';
  return code === 4429 ? 'THROTTLE' : 'RETRY';
}

const recorders = new WeakMap<object, Recorder>();
/** Every recorder of the page, for the overlay's client selector. */
export const allRecorders: Recorder[] = [];

/** Starts recording a client (once); called by `createClient({ devtools: true })` and `mountDevtools`. */
export function startRecording(client: object): Recorder {
  const existing = recorders.get(client);
  if (existing) return existing;
  const internals = clientInternals.get(client);
  if (!internals)
    throw new Error('wirestore devtools: this client was built for production (process.env.NODE_ENV), which carries no devtools');
  const recorder = new Recorder(internals);
  recorders.set(client, recorder);
  allRecorders.push(recorder);
  exposeOnWindow();
  listenForShortcut();
  return recorder;
}

/** `window.__wirestore__` in development: counters, timeline and export for tests and agents. */
function exposeOnWindow(): void {
  const target = globalThis as { __wirestore__?: unknown };
  target.__wirestore__ = {
    counters: (index = 0) => allRecorders[index]?.counters(),
    timeline: (index = 0) => allRecorders[index]?.timeline.toArray(),
    export: (index = 0) => allRecorders[index]?.export(),
    chaos: (index = 0) => allRecorders[index]?.sockets,
    tabs: (index = 0) => allRecorders[index]?.internals.tabRole(),
  };
}

let listening = false;
/** Ctrl+Shift+L toggles the overlay; its code loads on the first press. */
function listenForShortcut(): void {
  if (listening || typeof document === 'undefined') return;
  listening = true;
  document.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey && event.shiftKey && event.key.toLowerCase() === 'l')) return;
    event.preventDefault();
    void import('./overlay').then(({ toggleOverlay }) => toggleOverlay(allRecorders));
  });
}

export type { Codec };
