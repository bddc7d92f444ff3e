// A server as a user writes it, compiled against the packed package (scripts/check-types.mjs).
import { attach, channel, CloseCode, createServer, ErrorCode, LiveError, msgpackCodec, stream, uwsIsNative } from 'wirestore/server';
import type { Context, HubOptions, LiveHub, LiveServer, LoadedStream, ServerOptions, StreamContext } from 'wirestore/server';
import { memoryEngine } from 'wirestore/server';
import { redisEngine, redisPublisher } from 'wirestore/redis';
import type { RedisEngine, RedisPublisher } from 'wirestore/redis';

export interface Todo {
  id: number;
  text: string;
  done: boolean;
}
interface User {
  id: string;
  name: string;
}

const todos: Todo[] = [];

export const api = {
  todos: {
    list: stream('todos', () => todos, { merge: 'crud', key: 'id', actions: { create: 'todos/add' } }),
    add(ctx: Context<User>, text: string): Todo {
      if (!text.trim()) throw new LiveError('EMPTY', 'Say something');
      const todo = { id: todos.length + 1, text, done: false };
      ctx.publish('todos', 'created', todo);
      return todo;
    },
    async count(): Promise<number> {
      return todos.length;
    },
  },
  room: stream(
    (_ctx: Context<User>, id: string) => `room:${id}`,
    (_ctx: StreamContext<User>, id: string) => [{ id, text: 'welcome' }],
    { merge: 'latest', max: 100 },
  ),
  cursors: channel((_ctx: Context<User>, doc: string) => `cursors:${doc}`, { merge: 'cursor' }),
};

const options: ServerOptions<User> = {
  api,
  authenticate: (request) => (request.headers.cookie?.includes('session=') ? { id: 'u1', name: 'ada' } : false),
  canSubscribe: (_ctx, topic) => !topic.startsWith('admin/') || 'admins only',
  codecs: [msgpackCodec],
};
export const server: LiveServer = createServer(options);
export const port: Promise<number> = server.listen(0);
export const loaded: Promise<LoadedStream> = server.loadStream('todos/list', { user: { id: 'u1', name: 'ada' } });
export const native: boolean = uwsIsNative();
export const reached: Promise<number> = server.sendToUser('u1', 'order-shipped', { orderId: 7 });
// @ts-expect-error: a user id is a string or a number
void server.sendToUser({ id: 'u1' }, 'order-shipped', {});
export const codes: string[] = [ErrorCode.NOT_FOUND, String(CloseCode.NORMAL)];
export const attachWith = (app: Parameters<typeof attach>[0], hubOptions: HubOptions<User>): LiveHub => attach(app, hubOptions);

// @ts-expect-error: a handler's context is its first parameter, and `publish` wants a topic first
api.todos.add({ publish: (event: string) => event }, 'x');
// @ts-expect-error: an unknown option
createServer({ api, unknownOption: true });

// Engines: memory (the default) and Redis, from their own entry.
export const inMemory: LiveServer = createServer({ engine: memoryEngine() });
export const onRedis: RedisEngine = redisEngine({
  url: 'redis://127.0.0.1:6379',
  replay: { maxEvents: 100 },
  rateLimit: { callsPerUser: { perSecond: 5, burst: 10 } },
});
export const clustered: LiveServer = createServer({ engine: onRedis });
export const worker: Promise<RedisPublisher> = redisPublisher({ url: 'redis://127.0.0.1:6379' });
export const confirmedSeq: Promise<number | undefined> = clustered.publishConfirmed('orders', 'paid', { id: 7 }, { id: 'order-7-paid' });
export const answer: Promise<unknown> = clustered.requestUser('u1', 'confirm', { amount: 3 }, { timeoutMs: 5_000 });
export const engineName: string = clustered.engine;
// @ts-expect-error: redisEngine needs its url
redisEngine({});
