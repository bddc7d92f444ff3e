import { afterEach, expect, it } from 'vitest';
import type { SignalFrame } from '../protocol/frames';
import { closeAll, connectClient, startServer, waitFor } from './test-support/harness';

afterEach(closeAll);

it('sendToUser reaches every connection of that user, and only theirs', async () => {
  const server = await startServer({
    authenticate: ({ query }) => ({ id: new URLSearchParams(query).get('user') ?? 'anonymous' }),
  });
  const received = { adaLaptop: [] as SignalFrame[], adaPhone: [] as SignalFrame[], bob: [] as SignalFrame[] };
  const clients = {
    adaLaptop: connectClient(`${server.url}?user=ada`),
    adaPhone: connectClient(`${server.url}?user=ada`),
    bob: connectClient(`${server.url}?user=bob`),
  };
  for (const [name, client] of Object.entries(clients)) {
    client.onSignal((signal) => received[name as keyof typeof received].push(signal));
    client.connect();
  }
  await waitFor(() => server.connectionCount === 3);
  expect(await server.sendToUser('ada', 'order-shipped', { orderId: 7 })).toBe(2);
  await waitFor(() => received.adaLaptop.length && received.adaPhone.length);
  expect(received.adaPhone).toEqual([{ type: 'signal', event: 'order-shipped', data: { orderId: 7 } }]);
  expect(received.bob).toEqual([]);
  expect(await server.sendToUser('nobody', 'x', 1)).toBe(0);

  clients.adaPhone.close();
  await waitFor(() => server.connectionCount === 2);
  expect(await server.sendToUser('ada', 'again', 2)).toBe(1);
});

it('requestUser asks a user’s clients and resolves with the first answer, or says why there is none', async () => {
  const server = await startServer({
    authenticate: ({ query }) => ({ id: new URLSearchParams(query).get('user') ?? 'anonymous' }),
  });
  const ada = connectClient(`${server.url}?user=ada`);
  ada.onRequest<{ amount: number }>('confirm-payment', ({ amount }) => ({ confirmed: amount < 100 }));
  ada.onRequest('explode', () => {
    throw Object.assign(new Error('card declined'), { code: 'DECLINED' });
  });
  const bob = connectClient(`${server.url}?user=bob`); // connected, answers nothing
  ada.connect();
  bob.connect();
  await waitFor(() => server.connectionCount === 2);

  expect(await server.requestUser('ada', 'confirm-payment', { amount: 30 })).toEqual({ confirmed: true });
  await expect(server.requestUser('ada', 'explode', null)).rejects.toMatchObject({ code: 'DECLINED', message: 'card declined' });
  await expect(server.requestUser('nobody', 'confirm-payment', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(server.requestUser('bob', 'confirm-payment', {}, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  // The shim's own names are not the app's to send.
  expect(() => server.signal('1', '__request', {})).toThrow(/reserved/);
  expect(() => server.requestUser('ada', '__reply', {})).toThrow(/reserved/);
});

it('an answer counts only from the user asked: another client cannot settle someone else’s request', async () => {
  const server = await startServer({
    authenticate: ({ query }) => ({ id: new URLSearchParams(query).get('user') ?? 'anonymous' }),
  });
  const mallory = connectClient(`${server.url}?user=mallory`);
  const forged: string[] = [];
  const ada = connectClient(`${server.url}?user=ada`);
  ada.onSignal((signal) => forged.push((signal.data as { id: string }).id)); // the id leaks, say
  ada.onRequest('confirm', async () => {
    await waitFor(() => forged.length > 0);
    // Mallory replays the id with her own answer first.
    expect(await mallory.call('__reply' as never, forged[0], { ok: true, data: 'forged' })).toBe(false);
    return 'genuine';
  });
  ada.connect();
  await waitFor(() => server.connectionCount === 1);
  expect(await server.requestUser('ada', 'confirm', null)).toBe('genuine');
});
