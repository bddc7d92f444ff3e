import { stream, type Context } from 'wirestore/server';

export interface Todo {
  id: number;
  text: string;
}

const todos: Todo[] = [{ id: 1, text: 'rendered on the server' }];

export const api = {
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

export type Api = typeof api;
