// The client every fixture app uses, typed from the server API, on the socket URL the test gives.
import { createClient } from 'wirestore';
import type { FrameworkApi } from './api';

const socketUrl = new URLSearchParams(location.search).get('ws') ?? undefined;
export const client = createClient<FrameworkApi>({ url: socketUrl, reconnect: { baseMs: 50, capMs: 500 } });
export const todos = client.stream('todos/list');
