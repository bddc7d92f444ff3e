/**
 * Turns frames into WebSocket payloads and back. `encode` returns a string for a text
 * frame or bytes for a binary frame; `decode` accepts either, throws on malformed input.
 */
export interface Codec {
  /** Short name used in the subprotocol, e.g. `json` → `wirestore.v1.json`. */
  readonly name: string;
  encode(value: unknown): string | Uint8Array;
  decode(payload: string | ArrayBuffer | Uint8Array): unknown;
}

const SUBPROTOCOL_PREFIX = 'wirestore.v1.';

/** `json` → `wirestore.v1.json`. */
export function subprotocolFor(codecName: string): string {
  return SUBPROTOCOL_PREFIX + codecName;
}

/** `wirestore.v1.json` → `json`; anything else → undefined. */
export function codecNameFromSubprotocol(subprotocol: string): string | undefined {
  const trimmed = subprotocol.trim();
  return trimmed.startsWith(SUBPROTOCOL_PREFIX) ? trimmed.slice(SUBPROTOCOL_PREFIX.length) : undefined;
}
