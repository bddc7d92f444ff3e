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
