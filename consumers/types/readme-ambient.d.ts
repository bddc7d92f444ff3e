// What the README's code blocks use without declaring it: an app's own database and client.
import type { Client } from 'wirestore';

interface Row {
  id: number;
  text: string;
}

declare global {
  const db: {
    todos: { all(): Row[]; insert(text: string): Row; update(row: Row): Row; remove(id: number): void };
    messages(room: string): Array<{ id: string; text: string }>;
  };
  const client: Client;
}
