// The server API the framework fixture apps talk to (e2e/frameworks.spec.ts runs it on a real shim).
import { stream, type Context } from '../../../server-shim/index';

export interface Todo {
  id: number;
  text: string;
}

export function frameworkApi() {
  const todos: Todo[] = [{ id: 1, text: 'first' }];
  return {
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
}

export type FrameworkApi = ReturnType<typeof frameworkApi>;
