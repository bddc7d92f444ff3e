import { afterEach, beforeEach, vi } from 'vitest';
import { createClient, type ClientOptions } from '../client';
import { FakeSocket } from './fake-socket';

/** A client on a {@link FakeSocket}, with the jitter factor fixed at exactly 1. */
export function makeClient(options: ClientOptions = {}) {
  return createClient({ url: 'ws://test/ws', WebSocket: FakeSocket.asConstructor(), reconnect: { random: () => 0.5 }, ...options });
}

/** Lets the codec load and the socket be created (the first open awaits a resolved promise). */
export const settle = () => vi.advanceTimersByTimeAsync(0);

/** A client whose socket is open: connected, and the server's hello received. */
export async function openClient(options: ClientOptions = {}) {
  const client = makeClient(options);
  client.connect();
  await settle();
  FakeSocket.last.accept();
  return client;
}

/** Fake timers and a fresh socket list around every test of the calling file. */
export function useFakeSockets(): void {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.reset();
  });
  afterEach(() => vi.useRealTimers());
}
