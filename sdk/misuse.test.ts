import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from './client';
import { FakeSocket } from './test-support/fake-socket';
import { settle, useFakeSockets } from './test-support/fake-client';

useFakeSockets();
afterEach(() => vi.unstubAllGlobals());

describe('misuse fails at the first use that needs the network, naming the fix', () => {
  it('without a WebSocket implementation (Node < 22): creating is safe, a call rejects at once, nothing retries', async () => {
    vi.stubGlobal('WebSocket', undefined);
    const client = createClient({ url: 'ws://127.0.0.1:1/ws' });
    await expect(client.call('todos/add', 'milk')).rejects.toThrow(/pass createClient\(\{ WebSocket \}\) from the "ws" package/);
    expect(() => client.subscribe('chat', () => {})).toThrow(/no WebSocket implementation/);
    expect(client.status.get()).toEqual({ state: 'idle' }); // no retry loop, no TIMEOUT 30 s later
    expect(vi.getTimerCount()).toBe(0);
  });

  it('without a url outside a browser: the call rejects, and a stream store shows the error instead of loading forever', async () => {
    const client = createClient({ WebSocket: FakeSocket.asConstructor() });
    await expect(client.call('x')).rejects.toThrow(/no page origin to derive the socket URL from: pass createClient\(\{ url \}\)/);
    const todos = client.stream('todos/list');
    todos.subscribe(() => {});
    await settle();
    expect(todos.status.get()).toBe('error');
    expect(todos.error.get()?.message).toMatch(/pass createClient\(\{ url \}\)/);
    expect(FakeSocket.instances).toHaveLength(0);
  });

  it('an empty call path or topic throws or rejects with what is wrong', async () => {
    const client = createClient({ url: 'ws://test/ws', WebSocket: FakeSocket.asConstructor() });
    await expect(client.call('')).rejects.toThrow(/call path must be a non-empty string/);
    expect(() => client.stream('')).toThrow(/stream: path must be a non-empty string/);
    expect(() => client.subscribe('', () => {})).toThrow(/topic must be a non-empty string/);
  });
});
