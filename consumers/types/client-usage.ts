// A browser app as a user writes it, compiled against the packed package (scripts/check-types.mjs).
import {
  classifyClose,
  CloseCode,
  combine,
  createClient,
  ErrorCode,
  jsonCodec,
  memoryQueueStorage,
  mergerFor,
  PROTOCOL_VERSION,
  reconnectDelay,
  RpcError,
} from 'wirestore';
import type {
  Client,
  ClientOptions,
  ConnectionStatus,
  EventEnvelope,
  HydrationData,
  OfflineQueueState,
  StreamStatus,
  StreamStore,
  SyncOutcome,
} from 'wirestore';
import { mountDevtools, type DevtoolsCounters, type TimelineEntry } from 'wirestore/devtools';
import { msgpackCodec } from 'wirestore/msgpack';
import type { api, Todo } from './server-usage.js';

const options: ClientOptions = {
  url: 'ws://127.0.0.1:3000/ws',
  codec: 'msgpack',
  reconnect: { baseMs: 1000, capMs: 30_000 },
  offline: { queue: true, storage: memoryQueueStorage() },
  onConnect: ({ epoch }) => console.log(epoch),
};

// Typed: paths, arguments and results come from the server's API object.
const client: Client<typeof api> = createClient<typeof api>(options);
export const added: Promise<Todo> = client.call('todos/add', 'buy milk');
export const count: Promise<number> = client.callWith({ timeoutMs: 2000 }, 'todos/count');
const todos: StreamStore<Todo[]> = client.stream('todos/list');
const room = client.stream('room', 'lobby');
const persisted = client.streamWith({ persist: true }, 'todos/list');
export const firstText: string | undefined = todos.get()?.[0]?.text;
export const roomValue: unknown = room.get();
export const status: StreamStatus = persisted.status.get();
export const lastSync: SyncOutcome | undefined = todos.lastSync.get();
export const created: Promise<Todo> = todos.create({ id: -1, text: 'tmp', done: false });
export const undone: Promise<boolean> = todos.undo();
export const rollback: () => void = todos.optimistic('updated', { id: 1, text: 'x', done: true });
export const both = combine(todos, room, (list, messages) => (list?.length ?? 0) + (messages?.length ?? 0));
export const onlyWhenOpen = todos.when(() => client.status.get().state === 'open');
export const hydrate = (data: HydrationData) => todos.hydrate(data);

// @ts-expect-error: not a path of the API
void client.call('todos/remove', 1);
// @ts-expect-error: wrong argument type
void client.call('todos/add', 42);
// @ts-expect-error: a call is not a stream
client.stream('todos/add');
// @ts-expect-error: missing stream argument
client.stream('room');

// Untyped: any path, unknown results, a value type of your choosing.
const untyped = createClient();
export const anything: Promise<unknown> = untyped.call('whatever', 1, 2);
export const typedByHand: StreamStore<{ id: string }[]> = untyped.stream<{ id: string }[]>('feed');
export const stop: () => void = untyped.subscribe('chat', (event: EventEnvelope) => console.log(event.seq, event.data), {
  onReset: () => console.log('reload what you derived'),
});
export const connection: ConnectionStatus = untyped.status.get();
export const queue: OfflineQueueState = untyped.offlineQueue.get();
export const presence = untyped
  .presence('room:lobby')
  .get()
  ?.map((member) => member.key);
untyped.moveCursor('cursors:doc', { x: 1, y: 2 });
export const latest = untyped.on('chat', 'message');

export const error = new RpcError(ErrorCode.NOT_FOUND, 'no such thing');
export const closeClass = classifyClose(CloseCode.NORMAL);
export const delay: number = reconnectDelay(2, { baseMs: 100 });
export const merger = mergerFor({ strategy: 'crud', key: 'id' });
export const codecs: string[] = [jsonCodec.name, msgpackCodec.name, String(PROTOCOL_VERSION)];
// @ts-expect-error: internals are not exported
import type { StreamController } from 'wirestore';
export type NotExported = StreamController;

// Development only: the overlay for a client created without `devtools: true`.
export const devtools = mountDevtools(untyped);
export const counters: DevtoolsCounters = devtools.counters();
export const firstEntry: TimelineEntry | undefined = (devtools.export() as { timeline: TimelineEntry[] }).timeline[0];

// Answering the server's requests (`server.requestUser`).
export const stopAnswering: () => void = client.onRequest<{ amount: number }>('confirm-payment', ({ amount }) => amount < 100);
