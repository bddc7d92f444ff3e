import { afterEach, expect, it, vi } from 'vitest';
import { listenOrWait } from './listen';
import { closeAll, connectClient, startServer, waitFor } from './test-support/harness';
import { uws } from './uws';

afterEach(closeAll);

it('fails at once when a live listener holds the port', async () => {
  const holder = await startServer({ api: {} });
  // Waiting (up to 65 s) instead would outlast the test's own timeout.
  await expect(listenOrWait(uws().App(), '127.0.0.1', holder.port!, console)).rejects.toThrow(/the port is in use/);
});

it('waits, and says why, when only connections the previous server closed hold the port (TIME_WAIT)', async () => {
  const previous = await startServer({ api: { ping: () => 'pong' } });
  const port = previous.port!;
  const client = connectClient(previous.url);
  expect(await client.call('ping')).toBe('pong');
  client.close();
  await previous.close(); // closes the connection from the server's side: its port enters TIME_WAIT
  await waitFor(() => previous.connectionCount === 0);
  const logger = { ...console, warn: vi.fn() };
  // A short limit here (the real one outlasts Linux's 60 s): it must try, warn, and keep trying.
  await expect(listenOrWait(uws().App(), '127.0.0.1', port, logger, 600, 100)).rejects.toThrow(
    /still held by closed connections after 600 ms/,
  );
  expect(logger.warn).toHaveBeenCalledTimes(1);
  expect(logger.warn.mock.calls[0]![0]).toMatch(/TIME_WAIT, up to 60 s\); listening as soon as it is free/);
});
