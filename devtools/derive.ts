import type { CallRecord } from './recorder';

/** What the recorder remembers to turn frames into timeline entries. */
export interface Derivation {
  /** Per topic: the epoch and seq of its last subscribe reply, and whether a gap awaits its backfill. */
  topics: Map<string, { epoch: string | undefined; seq: number; gapOpen: boolean }>;
  /** Subscribe requests by ref: what position the client asked to resume from. */
  requests: Map<number, { topic: string; args?: unknown; resume?: { epoch: string; seq: number } }>;
  /** Each stream's topic and merge, as its server's reply named them, by `streamKey(path, args)`. */
  streams: Map<string, { topic: string; merge: unknown }>;
  calls: Map<number, CallRecord>;
  /** How many times each idempotency key went out: a resend is the same key again. */
  attempts: Map<string, number>;
  coalesced: number;
  /** Batch frames sent so far: a batched call carries its batch's number. */
  batches: number;
  /** When the last heartbeat ping went out, and the round trip of the last one answered (ms). */
  pingSentAt?: number;
  rttMs?: number;
  note(lane: string, what: string): void;
}

/** A derivation with nothing seen yet, noting through `note`. */
export function newDerivation(note: Derivation['note']): Derivation {
  return {
    topics: new Map(),
    requests: new Map(),
    streams: new Map(),
    calls: new Map(),
    attempts: new Map(),
    coalesced: 0,
    batches: 0,
    note,
  };
}

const lane = (topic: string) => `topic:${topic}`;

/** How the overlay finds a stream's merge: its path and arguments. */
export const streamKey = (path: string, args: unknown): string => `${path}\u0000${JSON.stringify(args)}`;

/** Reads one frame: notes what it means for reliability, and records calls. */
export function deriveFromFrame(
  state: Derivation,
  direction: 'in' | 'out',
  frame: Record<string, unknown>,
  recordCall: (call: CallRecord) => void,
): void {
  if (direction === 'out') return deriveOut(state, frame, recordCall);
  switch (frame.type) {
    case undefined:
      if (frame.droppedByDevtools) state.note(lane(String(frame.topic)), `seq ${String(frame.seq)} dropped by the chaos controls`);
      return;
    case 'subscribed':
      return deriveSubscribed(state, frame);
    case 'denied':
    case 'unsubscribed':
      return state.note(lane(String(frame.topic)), `${frame.type}: ${(frame.error as { code?: string } | undefined)?.code ?? ''}`);
    case 'pressure':
      return state.note('server', frame.active ? `pressure on: ${String(frame.reason)}` : 'pressure off');
    case 'coalesced': {
      const superseded = (frame.superseded ?? {}) as Record<string, number>;
      for (const [topic, count] of Object.entries(superseded)) {
        state.coalesced += count;
        state.note('server', `${count} values coalesced away on ${topic}`);
      }
      return;
    }
    case 'result':
    case 'error':
      return settleCall(state, frame);
    case 'pong':
      if (state.pingSentAt !== undefined) state.rttMs = Date.now() - state.pingSentAt;
      state.pingSentAt = undefined;
  }
}

function deriveOut(state: Derivation, frame: Record<string, unknown>, recordCall: (call: CallRecord) => void): void {
  const record = (call: Record<string, unknown>, batch: number | undefined) => {
    const key = call.key as string | undefined;
    const attempt = key === undefined ? 1 : (state.attempts.get(key) ?? 0) + 1;
    if (key !== undefined) {
      state.attempts.set(key, attempt);
      if (state.attempts.size > 1000) state.attempts.delete(state.attempts.keys().next().value!);
    }
    const entry: CallRecord = { id: Number(call.id), path: String(call.path), args: call.args, key, batch, attempt, sentAt: Date.now() };
    state.calls.set(entry.id, entry);
    if (state.calls.size > 500) state.calls.delete(state.calls.keys().next().value!);
    recordCall(entry);
  };
  if (frame.type === 'ping') state.pingSentAt = Date.now();
  else if (frame.type === 'call') record(frame, undefined);
  else if (frame.type === 'batch') {
    const batch = ++state.batches;
    for (const call of (frame.calls ?? []) as Array<Record<string, unknown>>) record(call, batch);
  } else if (frame.type === 'subscribe') {
    const resume = frame.resume as { epoch: string; seq: number } | undefined;
    // Noted with its reply, on the topic's lane: a stream's request names its path, the reply its topic.
    state.requests.set(Number(frame.ref), { topic: String(frame.topic), args: frame.args, ...(resume && { resume }) });
  } else if (frame.type === 'unsubscribe') state.note(lane(String(frame.topic)), 'unsubscribe');
}

function deriveSubscribed(state: Derivation, frame: Record<string, unknown>): void {
  const topic = String(frame.topic);
  const request = state.requests.get(Number(frame.ref));
  state.requests.delete(Number(frame.ref));
  const known = state.topics.get(topic);
  const replayed = Array.isArray(frame.replay) ? frame.replay.length : 0;
  const epoch = String(frame.epoch);
  let what: string;
  if (frame.resumed) what = `resumed at seq ${String(frame.seq)}${replayed ? `, ${replayed} replayed` : ''}`;
  else if (request?.resume && request.resume.epoch !== epoch)
    what = `reloaded: epoch changed ${request.resume.epoch} → ${epoch} (server restarted, or the topic was idle and freed)`;
  else if (request?.resume) what = `reloaded: the replay buffer no longer holds seq ${request.resume.seq + 1}`;
  else what = frame.snapshot ? 'loaded (snapshot)' : 'subscribed';
  if (known?.gapOpen) what = `backfilled: ${what}`;
  if (request && request.topic !== topic) what += ` (for ${request.topic})`;
  if (request && frame.merge !== undefined) state.streams.set(streamKey(request.topic, request.args ?? []), { topic, merge: frame.merge });
  state.note(lane(topic), what);
  state.topics.set(topic, { epoch, seq: Number(frame.seq) + replayed, gapOpen: false });
}

/**
 * The client counted a gap or a duplicate on the event it just took (read from its counters, so
 * events need no decoding while nothing goes wrong): notes it on the topic's lane.
 */
export function noteEventOutcome(state: Derivation, frame: Record<string, unknown> | undefined, outcome: 'gap' | 'duplicate'): void {
  const topic = String(frame?.topic ?? '?');
  const seq = String(frame?.seq ?? '?');
  if (outcome === 'duplicate') return state.note(lane(topic), `duplicate seq ${seq} dropped`);
  const known = state.topics.get(topic);
  if (known) known.gapOpen = true;
  state.note(lane(topic), `gap: seq ${seq} came after missing ones; backfill requested`);
}

function settleCall(state: Derivation, frame: Record<string, unknown>): void {
  if (typeof frame.id !== 'number') {
    if (frame.type === 'error') state.note('server', `frame refused: ${(frame.error as { code?: string } | undefined)?.code ?? ''}`);
    return;
  }
  const call = state.calls.get(frame.id);
  if (!call) return;
  call.settledAt = Date.now();
  call.outcome = frame.type === 'result' ? 'ok' : ((frame.error as { code?: string } | undefined)?.code ?? 'error');
  state.calls.delete(frame.id);
}
