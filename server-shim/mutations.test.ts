import { afterEach, describe, expect, it } from 'vitest';
import { crudApp, type Todo } from '../test-support/crud-app';
import { stream } from './stream-definition';
import { closeAll, connectClient, startServer, track, waitFor } from './test-support/harness';

afterEach(closeAll);

async function openTodos(url: string) {
  // The store's write side is its own file, loaded when the store is first listened to; a write
  // before it has loaded shows once it has. These tests are about writes shown at once, so the file
  // is loaded first (with a cold transform cache it could otherwise arrive after the data).
  await import('../sdk/stream-mutations');
  const client = connectClient(url);
  const todos = client.stream<Todo[]>('todos/list');
  const seen: Array<readonly Todo[] | undefined> = [];
  track({ close: todos.subscribe((value) => seen.push(value)) });
  await waitFor(() => todos.get() !== undefined);
  return { client, todos, seen };
}

describe('optimistic writes through a real shim', () => {
  it('shows a created row at once and swaps its temporary id for the real one, never showing it twice', async () => {
    const { api, truth } = crudApp();
    const server = await startServer({ api });
    const { todos, seen } = await openTodos(server.url);
    const pending = todos.create({ id: 'tmp-1', text: 'buy milk' });
    expect(todos.get()).toEqual([{ id: 'tmp-1', text: 'buy milk' }]); // before any reply
    const created = await pending;
    expect(created).toEqual({ id: 1, text: 'buy milk' });
    await waitFor(() => todos.get()?.[0]?.id === 1);
    expect(todos.get()).toEqual(truth);
    expect(seen.every((value) => (value ?? []).length <= 1)).toBe(true);
  });

  it('rolls back a rejected edit while another user’s edits keep arriving', async () => {
    const { api, truth } = crudApp();
    truth.push({ id: 100, text: 'locked row', locked: true });
    const server = await startServer({ api });
    const alice = await openTodos(server.url);
    const bob = await openTodos(server.url);
    const rejected = alice.todos.update({ id: 100, text: 'alice was here', locked: true });
    expect(alice.todos.get()?.[0]?.text).toBe('alice was here'); // optimistic
    const bobsEdits = Promise.all([bob.todos.create({ id: 'b1', text: 'bob 1' }), bob.todos.create({ id: 'b2', text: 'bob 2' })]);
    await expect(rejected).rejects.toMatchObject({ code: 'LOCKED' });
    await bobsEdits;
    await waitFor(() => alice.todos.get()?.length === 3);
    expect(alice.todos.get()).toEqual(truth);
    expect(alice.todos.get()?.[0]?.text).toBe('locked row');
  });

  it('undoes and redoes through the server, and a second client sees every step', async () => {
    const { api, truth } = crudApp();
    const server = await startServer({ api });
    const alice = await openTodos(server.url);
    const bob = await openTodos(server.url);
    const row = await alice.todos.create({ id: 'tmp', text: 'draft' });
    await alice.todos.update({ ...row, text: 'final' });
    await alice.todos.remove(row.id);
    await waitFor(() => bob.todos.get()?.length === 0);
    expect(alice.todos.canUndo.get()).toBe(true);

    await alice.todos.undo(); // the delete: the row comes back
    await waitFor(() => bob.todos.get()?.[0]?.text === 'final');
    await alice.todos.undo(); // the update
    await waitFor(() => bob.todos.get()?.[0]?.text === 'draft');
    await alice.todos.undo(); // the create
    await waitFor(() => bob.todos.get()?.length === 0);
    expect(truth).toEqual([]);
    expect(alice.todos.canUndo.get()).toBe(false);

    await alice.todos.redo();
    await alice.todos.redo();
    await waitFor(() => bob.todos.get()?.[0]?.text === 'final');
    expect(bob.todos.get()).toEqual(truth);
    expect(alice.todos.get()).toEqual(truth);
    expect(bob.todos.canUndo.get()).toBe(false); // history is per user: Bob did nothing
  });

  it('says clearly when a stream declares no actions', async () => {
    const server = await startServer({ api: { plain: stream('plain', () => []) } });
    const client = connectClient(server.url);
    const plain = client.stream('plain');
    track({ close: plain.subscribe(() => {}) });
    await waitFor(() => plain.get() !== undefined);
    await expect(plain.create({ id: 1 })).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/actions/) });
  });
});
