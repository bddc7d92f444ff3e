import type { Codec } from './codec';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The default codec: JSON in text frames. Binary frames are read as UTF-8 JSON too. */
export const jsonCodec: Codec = {
  name: 'json',
  encode: (value) => JSON.stringify(value),
  decode: (payload) => JSON.parse(typeof payload === 'string' ? payload : utf8.decode(payload)),
};
