import type { Context } from '../server-shim/context';
import { LiveError } from '../server-shim/live-error';
import { stream } from '../server-shim/stream-definition';

export interface Todo {
  id: number | string;
  text: string;
  locked?: boolean;
}

/** A crud app whose stream declares its actions, so stores get create/update/remove and undo. */
export function crudApp() {
  const truth: Todo[] = [];
  let nextId = 1;
  const find = (id: unknown) => truth.findIndex((todo) => todo.id === id);
  const api = {
    todos: {
      list: stream('todos', () => truth.map((todo) => ({ ...todo })), {
        merge: 'crud',
        actions: { create: 'todos/create', update: 'todos/update', remove: 'todos/remove' },
      }),
      create: async (ctx: Context, item: Todo) => {
        await new Promise((resolve) => setTimeout(resolve, 20)); // a database round trip
        // Temporary ids are the client's business; known real ids are kept (undo of a delete).
        const todo = { ...item, id: typeof item.id === 'number' && find(item.id) === -1 ? item.id : nextId++ };
        nextId = Math.max(nextId, Number(todo.id) + 1);
        truth.push(todo);
        ctx.publish('todos', 'created', todo);
        return todo;
      },
      update: async (ctx: Context, item: Todo) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const index = find(item.id);
        if (index === -1) throw new LiveError('NOT_FOUND', `no todo ${item.id}`);
        if (truth[index]!.locked) throw new LiveError('LOCKED', 'this todo is locked');
        truth[index] = { ...item };
        ctx.publish('todos', 'updated', truth[index]);
      },
      remove: (ctx: Context, id: number) => {
        const index = find(id);
        if (index === -1) throw new LiveError('NOT_FOUND', `no todo ${id}`);
        truth.splice(index, 1);
        ctx.publish('todos', 'deleted', { id });
      },
    },
  };
  return { api, truth };
}
