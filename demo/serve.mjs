// `npm start`: the shim serving the demo (built by demo/build.mjs) and the CDN build on
// http://localhost:3000. `npm run dev` (`--dev`): Vite's dev server for the demo instead, which
// forwards /ws to the shim; a development build, so the devtools overlay opens with Ctrl+Shift+L.
// PORT and HOST override the defaults. REDIS_URL runs it on the Redis engine: start several on
// one Redis (different PORTs) and they act as one server (README: "When one process is not enough").
import { createServer, LiveError, stream } from '../dist/server.js';
import { redisEngine } from '../dist/redis.js';

const dev = process.argv.includes('--dev');
const MAX_MESSAGE_LENGTH = 500;
let messageCount = 0;

// The demo's "database": todos kept in memory for as long as the server runs.
const todos = [];
let nextTodoId = 1;
const findTodo = (id) => {
  const todo = todos.find((t) => t.id === id);
  if (!todo) throw new LiveError('NOT_FOUND', `no todo ${id}`);
  return todo;
};

const api = {
  chat: {
    send(ctx, author, text) {
      if (typeof text !== 'string' || text.trim() === '') throw new LiveError('EMPTY_MESSAGE', 'Say something first');
      if (text.length > MAX_MESSAGE_LENGTH)
        throw new LiveError('TOO_LONG', `At most ${MAX_MESSAGE_LENGTH} characters`, { max: MAX_MESSAGE_LENGTH });
      const message = { id: ++messageCount, author: String(author || 'anonymous').slice(0, 40), text, at: Date.now() };
      ctx.publish('chat', 'message', message);
      return message;
    },
  },
  math: {
    add: (_ctx, a, b) => {
      if (typeof a !== 'number' || typeof b !== 'number') throw new LiveError('INVALID_ARGUMENT', 'add takes two numbers');
      return a + b;
    },
    slow: async (_ctx, ms) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(Number(ms) || 0, 10_000)));
      return `waited ${ms} ms`;
    },
  },
  whisper: (ctx, text) => ctx.signal(ctx.connectionId, 'whisper', `you said: ${text}`),
  load: {
    // 200 values for one key, sent to the caller faster than it acks: the slow part is replaced in
    // place (coalesced), and the client counts what it never had to process.
    burst(ctx, count) {
      const total = Math.min(Number(count) || 0, 1000);
      for (let i = 1; i <= total; i++)
        server.sendCoalesced(ctx.connectionId, { key: 'meter', topic: 'meter', event: 'level', data: { i, padding: 'x'.repeat(2000) } });
      return `${total} sent`;
    },
  },
  todos: {
    // A crud stream whose store gets optimistic create/update/remove and undo/redo from `actions`.
    list: stream('todos', () => todos, {
      merge: 'crud',
      key: 'id',
      actions: { create: 'todos/create', update: 'todos/update', remove: 'todos/remove' },
    }),
    create(ctx, item) {
      const text = typeof item?.text === 'string' ? item.text.trim().slice(0, 200) : '';
      if (!text) throw new LiveError('EMPTY', 'A todo needs some text');
      // A known numeric id is kept (undo of a delete brings the row back as it was); temporary ids are replaced.
      const id = typeof item.id === 'number' && !todos.some((t) => t.id === item.id) ? item.id : nextTodoId++;
      const todo = { id, text, done: item.done === true };
      todos.push(todo);
      ctx.publish('todos', 'created', todo);
      return todo;
    },
    update(ctx, item) {
      const todo = findTodo(item?.id);
      if (todo.text.startsWith('locked'))
        throw new LiveError('LOCKED', 'A todo whose text starts with "locked" cannot change: watch the rollback');
      Object.assign(todo, { text: String(item.text ?? todo.text).slice(0, 200), done: item.done === true });
      ctx.publish('todos', 'updated', todo);
      return todo;
    },
    remove(ctx, id) {
      findTodo(id);
      todos.splice(
        todos.findIndex((t) => t.id === id),
        1,
      );
      ctx.publish('todos', 'deleted', { id });
    },
  },
};

const server = createServer({
  api,
  // Topics, presence and calls shared by every process on this Redis. The todos below stay in this
  // process's memory: a real app keeps them in its database.
  ...(process.env.REDIS_URL && { engine: redisEngine({ url: process.env.REDIS_URL }) }),
  // Who you are: a name from the page (a real app checks a session cookie here).
  authenticate: (request) => {
    const name = new URLSearchParams(request.query).get('name')?.slice(0, 24) || 'guest';
    return { id: `${name}@${request.ip}`, name };
  },
  presence: { topics: (topic) => topic.startsWith('room:'), select: (user) => ({ name: user.name }), cursorIntervalMs: 30 },
  // The Svelte demo (built by demo/build.mjs), the plain-HTML CDN page, and the CDN files it loads.
  static: {
    ...(dev ? {} : { '/': new URL('./dist', import.meta.url).pathname }),
    '/cdn-page/': new URL('./public', import.meta.url).pathname,
    '/cdn/': new URL('../dist/cdn', import.meta.url).pathname,
  },
  maxPayloadBytes: 256 * 1024,
  // The clock topic is readable by anyone; everything under "private/" is refused, to show denials.
  canSubscribe: (_ctx, topic) => (topic.startsWith('private/') ? 'private topics need an invitation' : true),
});

const host = process.env.HOST ?? '127.0.0.1';
const port = await server.listen(dev ? 0 : Number(process.env.PORT ?? 3000), host);
const vite = dev ? await startViteDevServer(port) : undefined;
const pagePort = vite ? vite.config.server.port : port;
console.log(
  `wirestore demo on http://${process.env.HOST ?? 'localhost'}:${pagePort}/ (uWS native: ${server.uwsNative}, engine: ${server.engine})`,
);
console.log(`the plain-HTML CDN page: http://${process.env.HOST ?? 'localhost'}:${port}/cdn-page/`);

/** The demo from its sources, with hot reload; /ws goes to the shim. */
async function startViteDevServer(shimPort) {
  const { createServer: createVite } = await import('vite');
  const { svelte } = await import('@sveltejs/vite-plugin-svelte');
  const server = await createVite({
    root: new URL('./app', import.meta.url).pathname,
    configFile: false,
    logLevel: 'warn',
    plugins: [svelte()],
    define: { 'process.env.NODE_ENV': JSON.stringify('development') },
    resolve: { alias: [{ find: /^wirestore$/, replacement: new URL('../dist/index.js', import.meta.url).pathname }] },
    server: { host, port: Number(process.env.PORT ?? 3000), proxy: { '/ws': { target: `ws://127.0.0.1:${shimPort}`, ws: true } } },
  });
  await server.listen();
  const address = server.httpServer.address();
  server.config.server.port = address.port;
  return server;
}

const clock = setInterval(() => server.publish('clock', 'tick', new Date().toISOString(), { seq: false }), 1000);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    clearInterval(clock);
    await vite?.close();
    await server.close();
    process.exit(0);
  });
}
