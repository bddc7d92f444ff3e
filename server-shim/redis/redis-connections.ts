import type { RedisClientType } from '@redis/client';
import type { RedisSubscriber } from './topic-feed';
import type { RedisCommander } from './topic-log';

type Client = RedisClientType;
type Listener = (message: string) => void;

export interface ConnectionEvents {
  /** Both connections are up (again); `again` is false the first time. */
  onReady(again: boolean): void;
  /** A connection dropped: Redis is unreachable until `onReady`. */
  onLost(reason: string): void;
  /** Connecting failed, before Redis was ever reached (node-redis tries again by itself). */
  onWaiting(error: unknown): void;
}

/**
 * The engine's two Redis connections: one for commands, and one in subscriber mode (Redis allows
 * nothing else on a subscribed connection). Commands are refused at once while disconnected
 * (`disableOfflineQueue`): a publish fails with an error instead of going out late. The
 * subscriber's channels are kept here too, so a deaf subscriber can be replaced by a new
 * connection that subscribes to all of them again (`replaceSubscriber`).
 * @internal
 */
export class RedisConnections implements RedisSubscriber {
  /** Commands go to the command connection; before `connect()` they are refused. */
  readonly commands: RedisCommander = {
    sendCommand: (args) =>
      this.#commandClient ? this.#commandClient.sendCommand(args) : Promise.reject(new Error('Redis not connected yet')),
  };
  #commandClient: Client | undefined;
  #subscriber: Client | undefined;
  readonly #channels = new Map<string, Listener>();
  readonly #turns = new Map<string, Promise<void>>();
  #readyOnce = false;
  /** Set by `close`: the connections going down is not news. */
  #closing = false;
  #available = false;
  #waiters: Array<() => void> = [];

  constructor(
    private readonly url: string,
    private readonly events: ConnectionEvents,
  ) {}

  get available(): boolean {
    return this.#available;
  }

  async connect(): Promise<void> {
    const { createClient } = await loadRedisClient();
    // Reconnect quickly at first, then every second at most: a failover takes seconds.
    const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 1000);
    const commands = createClient({ url: this.url, socket: { reconnectStrategy }, disableOfflineQueue: true }) as Client;
    const subscriber = commands.duplicate();
    this.#watch(commands);
    this.#watch(subscriber);
    this.#commandClient = commands;
    this.#subscriber = subscriber;
    await Promise.all([commands.connect(), subscriber.connect()]);
    this.#update();
  }

  /** Resolves when both connections are up, or rejects after `timeoutMs`. */
  whenAvailable(timeoutMs: number): Promise<void> {
    if (this.#available) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Redis unreachable for ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  subscribe(channel: string, listener: Listener): Promise<void> {
    this.#channels.set(channel, listener);
    return this.#inTurn(channel, () => this.#connected(this.#subscriber).subscribe(channel, listener));
  }

  unsubscribe(channel: string): Promise<void> {
    this.#channels.delete(channel);
    return this.#inTurn(channel, () => this.#connected(this.#subscriber).unsubscribe(channel));
  }

  /**
   * Runs a channel's subscribe and unsubscribe one after the other: an unsubscribe still in flight
   * when the channel is subscribed again (a topic followed again right after it was let go) must
   * not take the new listener with it.
   */
  #inTurn(channel: string, operation: () => Promise<unknown>): Promise<void> {
    const turn = (this.#turns.get(channel) ?? Promise.resolve()).then(operation, operation).then(() => {});
    this.#turns.set(channel, turn);
    void turn.finally(() => this.#turns.get(channel) === turn && this.#turns.delete(channel)).catch(() => {});
    return turn;
  }

  /** A new subscriber connection, subscribed to every channel; the old one is dropped. */
  async replaceSubscriber(): Promise<void> {
    const old = this.#connected(this.#subscriber);
    const next = this.#connected(this.#commandClient).duplicate();
    this.#watch(next);
    this.#subscriber = next;
    old.destroy();
    await next.connect();
    for (const [channel, listener] of this.#channels) await next.subscribe(channel, listener);
    this.#update();
  }

  async close(): Promise<void> {
    this.#closing = true;
    for (const client of [this.#commandClient, this.#subscriber]) if (client?.isOpen) client.destroy();
  }

  #connected(client: Client | undefined): Client {
    if (!client) throw new Error('Redis not connected yet');
    return client;
  }

  #watch(client: Client): void {
    // Reported through 'end' / 'reconnecting' below once connected; node-redis reconnects by itself.
    client.on('error', (error: unknown) => this.#readyOnce || this.#closing || this.events.onWaiting(error));
    client.on('ready', () => this.#update());
    client.on('reconnecting', () => this.#update());
    client.on('end', () => this.#update());
  }

  /** Tells of every change between "both connections ready" and not. */
  #update(): void {
    const available = this.#commandClient?.isReady === true && this.#subscriber?.isReady === true;
    if (available === this.#available || this.#closing) return;
    this.#available = available;
    if (!available) return this.events.onLost('Redis is unreachable: publishes fail and live events pause until it is back');
    const again = this.#readyOnce;
    this.#readyOnce = true;
    for (const wake of this.#waiters.splice(0)) wake();
    this.events.onReady(again);
  }
}

/** `@redis/client` is an optional peer dependency: only Redis users install it. */
export async function loadRedisClient(): Promise<typeof import('@redis/client')> {
  try {
    return await import('@redis/client');
  } catch (error) {
    throw new Error(`wirestore/redis needs the Redis client library: npm install @redis/client (${String(error)})`);
  }
}
