/**
 * Deepest container nesting a MessagePack frame may have before it is even decoded: deeper is
 * not a frame but an attempt on the decoder's stack. The frame handler applies the server's own
 * (smaller, configurable) `maxDepth` afterwards and answers that with INVALID_REQUEST, as for JSON.
 */
export const MSGPACK_MAX_NESTING = 1000;

/** The standard timestamp extension (type -1), the only extension the protocol admits. */
const TIMESTAMP_EXT = 0xff;

/**
 * Checks, in one pass over the bytes and without building anything, that `bytes` hold exactly one
 * plain MessagePack value: no extension types but the timestamp (msgpackr's records, shared
 * references, structured clones, BigInt, Error, Set, RegExp and typed-array extensions are all
 * extensions), no reserved byte, nothing truncated, nothing after the value, nesting bounded.
 * Throws an Error naming the first problem. Linear in the byte length: every value consumes at
 * least one byte, so a header claiming four billion items fails when the bytes run out.
 */
export function assertPlainMsgpack(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength;
  /** Values still to read in each open container, innermost last. */
  const open: number[] = [];
  let pos = 0;
  let pending = 1;
  const need = (count: number) => {
    if (pos + count > end) throw new Error('msgpack: truncated frame');
  };
  const lengthOf = (width: 1 | 2 | 4): number => {
    need(width);
    const value = width === 1 ? bytes[pos]! : width === 2 ? view.getUint16(pos) : view.getUint32(pos);
    pos += width;
    return value;
  };
  const skip = (count: number) => {
    need(count);
    pos += count;
  };
  const enter = (items: number) => {
    if (items === 0) return;
    if (open.length >= MSGPACK_MAX_NESTING) throw new Error(`msgpack: nested deeper than ${MSGPACK_MAX_NESTING}`);
    open.push(pending);
    pending = items;
  };
  const extension = (length: number) => {
    need(1);
    const type = bytes[pos++]!;
    if (type !== TIMESTAMP_EXT || (length !== 4 && length !== 8 && length !== 12)) {
      throw new Error(`msgpack: extension type ${type > 127 ? type - 256 : type} is not allowed (plain values only)`);
    }
    skip(length);
  };

  while (pending > 0) {
    need(1);
    const token = bytes[pos++]!;
    pending--;
    if (token <= 0x7f || token >= 0xe0 || token === 0xc0 || token === 0xc2 || token === 0xc3) {
      // fixint, negative fixint, nil, false, true
    } else if (token <= 0x8f) enter((token & 0x0f) * 2);
    else if (token <= 0x9f) enter(token & 0x0f);
    else if (token <= 0xbf) skip(token & 0x1f);
    else if (token === 0xc1) throw new Error('msgpack: reserved byte 0xc1');
    else if (token === 0xc4 || token === 0xd9) skip(lengthOf(1));
    else if (token === 0xc5 || token === 0xda) skip(lengthOf(2));
    else if (token === 0xc6 || token === 0xdb) skip(lengthOf(4));
    else if (token === 0xc7) extension(lengthOf(1));
    else if (token === 0xc8) extension(lengthOf(2));
    else if (token === 0xc9) extension(lengthOf(4));
    else if (token === 0xca) skip(4);
    else if (token === 0xcb) skip(8);
    else if (token >= 0xcc && token <= 0xd3) skip(1 << (token & 0x03));
    else if (token >= 0xd4 && token <= 0xd8) extension(1 << (token - 0xd4));
    else if (token === 0xdc) enter(lengthOf(2));
    else if (token === 0xdd) enter(lengthOf(4));
    else if (token === 0xde) enter(lengthOf(2) * 2);
    else enter(lengthOf(4) * 2); // 0xdf map32
    while (pending === 0 && open.length > 0) pending = open.pop()!;
  }
  if (pos !== end) throw new Error(`msgpack: ${end - pos} stray bytes after the value`);
}
