import type { Codec } from '../protocol/codec';
import { jsonCodec } from '../protocol/json-codec';

/** `'json'` (built in), `'msgpack'` (loaded on demand), or any object implementing {@link Codec}. */
export type CodecChoice = 'json' | 'msgpack' | Codec;

/**
 * Resolves a codec choice lazily. The msgpack codec is a dynamic import, so it becomes its own
 * chunk (its own file in the CDN build) and never weighs on clients that stay on JSON.
 */
export function codecLoader(choice: CodecChoice | undefined): () => Codec | Promise<Codec> {
  if (choice === undefined || choice === 'json') return () => jsonCodec;
  if (choice === 'msgpack') return () => import('../protocol/msgpack-codec').then((module) => module.msgpackCodec);
  if (typeof choice.encode !== 'function' || typeof choice.decode !== 'function' || !choice.name) {
    throw new TypeError("codec must be 'json', 'msgpack' or an object with name, encode and decode");
  }
  return () => choice;
}
