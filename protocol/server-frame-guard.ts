import type { ServerFrame } from './frames';
import { isRecord } from './structure';

/**
 * Reads a decoded server frame on the client. Returns undefined for anything it cannot use
 * (unknown type, wrong field types), which the client ignores rather than crash on: a newer
 * server may send frames this client does not know yet.
 */
export function readServerFrame(raw: unknown): ServerFrame | undefined {
  if (!isRecord(raw)) return undefined;
  const type = raw.type;
  if (type === undefined) {
    // The event envelope carries no type: {topic, event, data, seq?}.
    if (typeof raw.topic !== 'string' || typeof raw.event !== 'string') return undefined;
    if (raw.seq !== undefined && typeof raw.seq !== 'number') return undefined;
    return raw as unknown as ServerFrame;
  }
  switch (type) {
    case 'hello':
      return typeof raw.epoch === 'string' && isRecord(raw.limits) ? (raw as unknown as ServerFrame) : undefined;
    case 'result':
      return typeof raw.id === 'number' ? (raw as unknown as ServerFrame) : undefined;
    case 'error':
      return (typeof raw.id === 'number' || raw.id === null) && isRecord(raw.error) && typeof raw.error.code === 'string'
        ? (raw as unknown as ServerFrame)
        : undefined;
    case 'subscribed':
      return typeof raw.ref === 'number' && typeof raw.topic === 'string' && typeof raw.epoch === 'string' && typeof raw.seq === 'number'
        ? (raw as unknown as ServerFrame)
        : undefined;
    case 'denied': // matched by ref; one with no number ref is simply not matched
    case 'unsubscribed':
      return typeof raw.topic === 'string' && isRecord(raw.error) && typeof raw.error.code === 'string'
        ? (raw as unknown as ServerFrame)
        : undefined;
    case 'signal':
      return typeof raw.event === 'string' ? (raw as unknown as ServerFrame) : undefined;
    case 'pressure':
      return typeof raw.active === 'boolean' ? (raw as unknown as ServerFrame) : undefined;
    case 'pong':
      return raw as unknown as ServerFrame;
    case 'coalesced':
      return typeof raw.batch === 'number' && isRecord(raw.superseded) ? (raw as unknown as ServerFrame) : undefined;
    default:
      return undefined;
  }
}
