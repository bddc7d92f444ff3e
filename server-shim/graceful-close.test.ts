import { afterEach, expect, it } from 'vitest';
import { TcpProxy } from '../test-support/tcp-proxy';
import type { Context } from './context';
import { closeAll, connectClient, startServer, track, waitFor } from './test-support/harness';

afterEach(closeAll);

it('a graceful close lets running calls reply, and calls sent meanwhile run once on the next server', async () => {
  const applied: string[] = [];
  let release!: () => void;
  const slowWriteStarted = new Promise<void>((started) => {
    release = started;
  });
  let finishSlowWrite!: () => void;
  const api = {
    write: async (_ctx: Context, what: string) => {
      if (what === 'slow') {
        release();
        await new Promise<void>((resolve) => (finishSlowWrite = resolve));
      }
      applied.push(what);
      return `${what} done`;
    },
  };
  const first = await startServer({ api });
  const proxy = track(new TcpProxy(first.port!));
  await proxy.listen();
  const client = connectClient(`ws://127.0.0.1:${proxy.port}/ws`);
  const slow = client.call('write', 'slow');
  await slowWriteStarted; // the handler is running on the first server now
  const closing = first.close();
  const during = client.call('write', 'during'); // reaches a server that no longer takes calls
  await waitFor(() => first.stats.framesIn >= 2); // it arrived, and was not run
  expect(applied).toEqual([]);
  finishSlowWrite();
  await closing;
  expect(await slow).toBe('slow done'); // answered before the socket closed: never resent
  const second = await startServer({ api });
  proxy.retarget(second.port!);
  expect(await during).toBe('during done'); // resent with its key to the next server
  expect(applied).toEqual(['slow', 'during']); // each write applied exactly once
});
