/**
 * The connection's state, as held by `client.status`:
 * - `idle`: nothing has asked for a connection yet;
 * - `connecting`: the first attempt is under way;
 * - `open`: the server said hello; calls and subscriptions flow;
 * - `reconnecting`: the socket dropped; `attempt` and `nextRetryAt` (ms since epoch) say when it retries;
 * - `offline`: the browser reports no network; retries resume on its `online` event;
 * - `closed`: `client.close()` was called;
 * - `terminal`: the server closed with a terminal code; nothing will retry.
 */
export type ConnectionStatus =
  | { state: 'idle' }
  | { state: 'connecting' }
  | { state: 'open'; epoch: string; connectionId: string }
  | { state: 'reconnecting'; attempt: number; nextRetryAt: number; code: number; reason: string }
  | { state: 'offline' }
  | { state: 'closed' }
  | { state: 'terminal'; code: number; reason: string };

export type ConnectionState = ConnectionStatus['state'];
