import { ErrorCode } from '../protocol/error-codes';
import { LiveError } from './live-error';

/** Deepest nesting an event may have; a cyclic value hits it instead of overflowing the stack. */
const MAX_EVENT_DEPTH = 64;

/** Largest event the shim agrees to stamp, keep for replay and fan out (estimated encoded bytes). */
export const MAX_EVENT_BYTES = 16 * 1024 * 1024;

/** Why a value cannot be published, found by the fast walk; its path is looked up only then. */
class Unpublishable {
  constructor(
    readonly culprit: unknown,
    readonly what: string,
  ) {}
}

/**
 * Checks that `data` can be encoded by every codec a subscriber may use, now or when it resumes
 * later from the replay buffer, and estimates its encoded size for the buffer's byte budget.
 * Plain data only: strings, numbers, booleans, null, undefined, plain objects, arrays, dates and
 * bytes. Throws a LiveError (INVALID_REQUEST) naming where the first bad value sits, so the
 * publisher hears of it and no subscriber is ever stranded by an event nobody can decode.
 * One walk that allocates nothing on the way; shared sub-objects are counted each time they
 * appear, because every codec writes them out each time too, and the walk stops once the
 * estimate passes MAX_EVENT_BYTES.
 */
export function measurePublishable(data: unknown): number {
  try {
    return measure(data, 0);
  } catch (error) {
    if (!(error instanceof Unpublishable)) throw error;
    const path = error.what.startsWith('nesting') ? '' : (pathTo(data, error.culprit, '', 0) ?? '');
    throw new LiveError(ErrorCode.INVALID_REQUEST, `cannot publish ${error.what} at data${path}: events carry plain data only`);
  }
}

function measure(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
    case 'boolean':
    case 'undefined':
      return 9;
    case 'object':
      return value === null ? 1 : measureObject(value, depth);
    default:
      throw new Unpublishable(value, `a ${typeof value}`);
  }
}

function measureObject(value: object, depth: number): number {
  if (depth >= MAX_EVENT_DEPTH) throw new Unpublishable(value, `nesting deeper than ${MAX_EVENT_DEPTH} levels (a cycle?)`);
  if (value instanceof Date) return 12;
  if (value instanceof Uint8Array) return value.byteLength + 5;
  let bytes = 5;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) bytes = add(bytes, measure(value[i], depth + 1));
    return bytes;
  }
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== Object.prototype && prototype !== null)
    throw new Unpublishable(value, `an instance of ${value.constructor?.name ?? 'a class'}`);
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    bytes = add(bytes, key.length + 2 + measure((value as Record<string, unknown>)[key], depth + 1));
  }
  return bytes;
}

function add(total: number, more: number): number {
  const sum = total + more;
  if (sum > MAX_EVENT_BYTES) throw new LiveError(ErrorCode.PAYLOAD_TOO_LARGE, `the event is larger than ${MAX_EVENT_BYTES} bytes`);
  return sum;
}

/** Where `culprit` sits in `value`, as `.a[2].b`: only run once a value was refused. */
function pathTo(value: unknown, culprit: unknown, path: string, depth: number): string | undefined {
  if (value === culprit) return path;
  if (value === null || typeof value !== 'object' || depth >= MAX_EVENT_DEPTH) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = pathTo(item, culprit, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
