import { describe, expect, it, vi } from 'vitest';
import { routeFrame } from './frame-router';

describe('routeFrame', () => {
  it('hands topic events to `event` and typed frames to the handler of their type', () => {
    const event = vi.fn();
    const result = vi.fn();
    const denied = vi.fn();
    const handlers = { event, result, denied };
    routeFrame({ topic: 'chat', event: 'message', data: 'hi', seq: 1 }, handlers);
    routeFrame({ type: 'result', id: 7, data: 42 }, handlers);
    routeFrame({ type: 'denied', ref: 3, topic: 'secret', error: { code: 'FORBIDDEN', message: 'members only' } }, handlers);
    expect(event).toHaveBeenCalledWith({ topic: 'chat', event: 'message', data: 'hi', seq: 1 });
    expect(result).toHaveBeenCalledWith({ type: 'result', id: 7, data: 42 });
    expect(denied.mock.calls[0]![0]).toMatchObject({ ref: 3, error: { code: 'FORBIDDEN' } });
  });

  it('ignores a frame type nobody handles', () => {
    const event = vi.fn();
    expect(() => routeFrame({ type: 'pong' }, { event })).not.toThrow();
    expect(event).not.toHaveBeenCalled();
  });
});
