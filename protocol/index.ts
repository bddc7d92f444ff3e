// The wire protocol: the one source of truth for frame shapes and codes, imported by both
// sdk/ and server-shim/. Documented for humans in PROTOCOL.md.
export * from './frames';
export * from './error-codes';
export * from './close-codes';
export * from './codec';
export { jsonCodec } from './json-codec';
export { checkStructure, isRecord } from './structure';
export { readClientFrame, readCall, isInvalidCall, MAX_PATH_LENGTH, MAX_TOPIC_LENGTH, MAX_KEY_LENGTH } from './client-frame-guard';
export type { ClientFrameReading, InvalidCall } from './client-frame-guard';
export { readServerFrame } from './server-frame-guard';
