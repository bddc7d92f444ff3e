// The app's server API, as an app team's own would be: the README's example spec imports it.
import { stream } from 'wirestore/server';

const todos = [{ id: 1, text: 'write the tests' }];

export const api = {
  todos: { list: stream('todos', () => todos, { merge: 'crud', key: 'id' }) },
};
