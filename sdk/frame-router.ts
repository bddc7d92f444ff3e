import type { EventEnvelope, ServerFrame } from '../protocol/frames';

type TypedFrame = Exclude<ServerFrame, EventEnvelope>;

/** One handler per frame type the client acts on; `event` takes topic events (frames without a type). */
export type FrameHandlers = { event(envelope: EventEnvelope): void } & {
  [Type in TypedFrame['type']]?: (frame: Extract<TypedFrame, { type: Type }>) => void;
};

/**
 * Hands each server frame to the handler for its type. Frames have been checked by the frame
 * guard already; a type without a handler (hello and pong belong to the connection) is ignored.
 */
export function routeFrame(frame: ServerFrame, handlers: FrameHandlers): void {
  if (!('type' in frame) || frame.type === undefined) return handlers.event(frame);
  (handlers[frame.type] as ((frame: TypedFrame) => void) | undefined)?.(frame);
}
