// The server API the framework fixture apps talk to (e2e/frameworks.spec.ts runs it on a real shim).
import { stream, type Context } from '../../../server-shim/index';

export interface Todo {
  id: number;
  text: string;
}

const todoLists = new WeakMap<object, Todo[]>();

export function frameworkApi() {
  const todos: Todo[] = [{ id: 1, text: 'first' }];
  const api = {
    greet: (_ctx: Context, name: string) => `hello, ${name}`,
    todos: {
      list: stream('todos', () => todos, { merge: 'crud', key: 'id' }),
      add(ctx: Context, text: string): Todo {
        const todo = { id: todos.length + 1, text };
        todos.push(todo);
        ctx.publish('todos', 'created', todo);
        return todo;
      },
    },
  };
  todoLists.set(api, todos);
  return api;
}

/** Adds a todo from the server side (as another user's call would): stored, then published. */
export function addOnServer(
  api: FrameworkApi,
  server: { publish(topic: string, event: string, data: unknown): unknown },
  text: string,
): void {
  const todos = todoLists.get(api)!;
  const todo = { id: todos.length + 1, text };
  todos.push(todo);
  server.publish('todos', 'created', todo);
}

export type FrameworkApi = ReturnType<typeof frameworkApi>;
