// `npm start`: the shim serving the demo page and the CDN build on http://localhost:3000.
// PORT and HOST override the defaults.
import { createServer, LiveError, stream } from '../dist/server.js';

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
  todos: {
    // A crud stream: clients get the list, then every created/updated/deleted event.
    list: stream('todos', () => todos, { merge: 'crud', key: 'id' }),
    add(ctx, text) {
      if (typeof text !== 'string' || !text.trim()) throw new LiveError('EMPTY', 'A todo needs some text');
      const todo = { id: nextTodoId++, text: text.slice(0, 200), done: false };
      todos.push(todo);
      ctx.publish('todos', 'created', todo);
      return todo;
    },
    toggle(ctx, id) {
      const todo = findTodo(id);
      todo.done = !todo.done;
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
  static: { '/': new URL('./public', import.meta.url).pathname, '/cdn/': new URL('../dist/cdn', import.meta.url).pathname },
  // The clock topic is readable by anyone; everything under "private/" is refused, to show denials.
  canSubscribe: (_ctx, topic) => (topic.startsWith('private/') ? 'private topics need an invitation' : true),
});

const port = await server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
console.log(`wirestore demo on http://${process.env.HOST ?? 'localhost'}:${port}/ (uWS native: ${server.uwsNative})`);

const clock = setInterval(() => server.publish('clock', 'tick', new Date().toISOString(), { seq: false }), 1000);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    clearInterval(clock);
    await server.close();
    process.exit(0);
  });
}
