import { expect, it } from 'vitest';
import type { Payload } from './tab-messages';
import { tabSocketClass, type LinkRouter, type TabSocketLink } from './tab-socket';

/** A router whose hub answers at once, as a hub in the same tab with its socket already open does. */
function eagerRouter(): LinkRouter & { sent: Payload[]; closed: string[] } {
  const sent: Payload[] = [];
  const closed: string[] = [];
  return {
    sent,
    closed,
    open(socket: TabSocketLink) {
      socket.opened();
      socket.message('{"type":"hello"}');
    },
    send: (_link, payload) => sent.push(payload),
    close: (link) => closed.push(link),
  };
}

it('fires open and the first message only after the caller has set its handlers, as a real WebSocket does', async () => {
  const router = eagerRouter();
  const TabSocket = tabSocketClass(router, () => {});
  const socket = new TabSocket('ws://h/ws', 'wirestore.v1.json');
  const heard: string[] = [];
  socket.onopen = () => heard.push('open');
  socket.onmessage = (event) => heard.push(String(event.data));
  socket.addEventListener('message', () => heard.push('listener'));
  await Promise.resolve();
  expect(heard).toEqual(['open', '{"type":"hello"}', 'listener']);
  socket.send(new Uint8Array([1, 2]));
  expect(router.sent[0]).toBeInstanceOf(ArrayBuffer);
});

it('closes later, never inside close(); a handover close asks for an immediate reconnect; a socket closed before it opened never opens', async () => {
  const router = eagerRouter();
  let handovers = 0;
  const TabSocket = tabSocketClass(router, () => handovers++);
  const early = new TabSocket('ws://h/ws');
  early.onopen = () => expect.unreachable('opened after close()');
  early.close();
  const socket = new TabSocket('ws://h/ws') as unknown as WebSocket & TabSocketLink;
  await Promise.resolve();
  const codes: number[] = [];
  socket.onclose = (event) => codes.push(event.code);
  socket.closed(4010, 'the tab holding the shared socket changed');
  expect(codes).toEqual([4010]);
  expect(handovers).toBe(1);
  const other = new TabSocket('ws://h/ws');
  await Promise.resolve();
  other.onclose = (event) => codes.push(event.code);
  other.close(1000);
  expect(codes).toEqual([4010]); // not yet
  await Promise.resolve();
  expect(codes).toEqual([4010, 1000]);
  expect(router.closed).toHaveLength(2);
});
