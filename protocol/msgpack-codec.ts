import { Packr } from 'msgpackr';
import type { Codec } from './codec';
import { assertPlainMsgpack } from './msgpack-scan';

// Plain MessagePack only, so a server or client in any language can read it: no records or
// structures (msgpackr extensions), undefined as nil, 64-bit ints as plain numbers.
// copyBuffers: uWS reuses a message's memory after the callback returns, so decoded binary
// values must not be views into it.
const packr = new Packr({
  useRecords: false,
  moreTypes: false,
  bundleStrings: false,
  encodeUndefinedAsNil: true,
  mapsAsObjects: true,
  int64AsType: 'number',
  copyBuffers: true,
});

const utf8 = new TextEncoder();

/**
 * MessagePack in binary frames, via msgpackr. Kept out of the core bundle: the client loads it
 * on demand for `codec: 'msgpack'`, or you pass it yourself.
 * @example
 * import { msgpackCodec } from 'wirestore/msgpack';
 * createClient({ codec: msgpackCodec });
 */
export const msgpackCodec: Codec = {
  name: 'msgpack',
  encode: (value) => packr.pack(value),
  decode(payload) {
    const bytes = typeof payload === 'string' ? utf8.encode(payload) : payload instanceof Uint8Array ? payload : new Uint8Array(payload);
    // msgpackr reads its own extensions (records, shared references, BigInt, Set, Error, …) into
    // live objects and can be made to build a DAG that explodes later: admit plain values only.
    assertPlainMsgpack(bytes);
    return packr.unpack(bytes);
  },
};
