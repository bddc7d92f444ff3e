import { ErrorCode } from '../protocol/error-codes';
import { LiveError } from './live-error';

/** Deepest nesting an event may have; a cyclic value hits it instead of overflowing the stack. */
const MAX_EVENT_DEPTH = 64;

/** Largest event the shim agrees to stamp, keep for replay and fan out (estimated encoded bytes). */
export const MAX_EVENT_BYTES = 16 * 1024 * 1024;

/**
 * Checks that `data` can be encoded by every codec a subscriber may use, now or when it resumes
 * later from the replay buffer, and estimates its encoded size for the buffer's byte budget.
 * Plain data only: strings, numbers, booleans, null, undefined, plain objects, arrays, dates and
 * bytes. Throws a LiveError (INVALID_REQUEST) naming where the first bad value sits, so the
 * publisher hears of it and no subscriber is ever stranded by an event nobody can decode.
 * One walk; shared sub-objects are counted each time they appear, because every codec writes
 * them out each time too, and the walk stops once the estimate passes MAX_EVENT_BYTES.
 */
export function measurePublishable(data: unknown): number {
  const budget = { bytes: 0 };
  measure(data, '', 0, budget);
  return budget.bytes;
}

function measure(value: unknown, path: string, depth: number, budget: { bytes: number }): void {
  switch (typeof value) {
    case 'string':
      budget.bytes += value.length + 2;
      break;
    case 'number':
    case 'boolean':
    case 'undefined':
      budget.bytes += 9;
      break;
    case 'object':
      if (value === null) budget.bytes += 1;
      else measureObject(value, path, depth, budget);
      break;
    default:
      refuse(path, `a ${typeof value}`);
  }
  if (budget.bytes > MAX_EVENT_BYTES) {
    throw new LiveError(ErrorCode.PAYLOAD_TOO_LARGE, `the event is larger than ${MAX_EVENT_BYTES} bytes`);
  }
}

function measureObject(value: object, path: string, depth: number, budget: { bytes: number }): void {
  if (depth >= MAX_EVENT_DEPTH) refuse(path, `nesting deeper than ${MAX_EVENT_DEPTH} levels (a cycle?)`);
  if (value instanceof Date) return void (budget.bytes += 12);
  if (value instanceof Uint8Array) return void (budget.bytes += value.byteLength + 5);
  if (Array.isArray(value)) {
    budget.bytes += 5;
    for (let i = 0; i < value.length; i++) measure(value[i], `${path}[${i}]`, depth + 1, budget);
    return;
  }
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== Object.prototype && prototype !== null) refuse(path, `an instance of ${value.constructor?.name ?? 'a class'}`);
  budget.bytes += 5;
  for (const key of Object.keys(value)) {
    budget.bytes += key.length + 2;
    measure((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, budget);
  }
}

function refuse(path: string, what: string): never {
  throw new LiveError(ErrorCode.INVALID_REQUEST, `cannot publish ${what} at data${path}: events carry plain data only`);
}
