import type { ForwardedReply } from '../engine';
import type { RedisSubscriber } from './topic-feed';
import type { RedisCommander } from './topic-log';

export interface UserRouterOptions {
  /** How long an instance is taken for alive after its last heartbeat (ms). Default 15 s. */
  liveMs?: number;
  prefix?: string;
}

/** A push for a user, as it travels between instances. */
interface Push {
  user: string;
  event: string;
  data: unknown;
}

/** What an instance's own channel carries: pushes for its users, and answers to its requests. */
type NodeMessage = Push | { reply: ForwardedReply };

/**
 * Server pushes to a user wherever they are connected. Each instance records in Redis which users
 * it holds connections of (`<p>u:{user}`: instance → connections) and keeps itself marked alive
 * (`<p>n:<instance>`); `sendToUser` looks the user up and sends the push to each live instance
 * holding them, over that instance's own channel, or delivers it here when it is this one.
 * @internal
 */
export class UserRouter {
  readonly #local = new Map<string, number>();
  readonly #liveMs: number;
  readonly #prefix: string;
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly redis: RedisCommander,
    private readonly subscriber: RedisSubscriber,
    readonly node: string,
    private readonly deliverHere: (user: string, event: string, data: unknown) => void,
    private readonly answerHere: (reply: ForwardedReply) => void = () => {},
    options: UserRouterOptions = {},
  ) {
    this.#liveMs = options.liveMs ?? 15_000;
    this.#prefix = options.prefix ?? 'ws:';
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(this.#nodeChannel(this.node), (message) => {
      try {
        const parsed = JSON.parse(message) as NodeMessage;
        if ('reply' in parsed) this.answerHere(parsed.reply);
        else this.deliverHere(parsed.user, parsed.event, parsed.data);
      } catch {
        // not ours: ignored
      }
    });
    await this.#beat();
    this.#heartbeat = setInterval(() => void this.#beat().catch(() => {}), this.#liveMs / 3);
    this.#heartbeat.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.#heartbeat);
    await this.redis.sendCommand(['DEL', this.#nodeKey(this.node)]);
  }

  /** A connection of `user` opened here. */
  async connected(user: string): Promise<void> {
    this.#local.set(user, (this.#local.get(user) ?? 0) + 1);
    await this.redis.sendCommand(['HINCRBY', this.#userKey(user), this.node, '1']);
    await this.redis.sendCommand(['PEXPIRE', this.#userKey(user), String(this.#liveMs * 6)]);
  }

  /** A connection of `user` closed here. */
  async disconnected(user: string): Promise<void> {
    const left = (this.#local.get(user) ?? 1) - 1;
    if (left > 0) this.#local.set(user, left);
    else this.#local.delete(user);
    await this.redis.sendCommand(left > 0 ? ['HINCRBY', this.#userKey(user), this.node, '-1'] : ['HDEL', this.#userKey(user), this.node]);
  }

  /** Sends the push to every live instance holding a connection of `user`; returns how many it reached. */
  async sendToUser(user: string, event: string, data: unknown): Promise<number> {
    const nodes = (await this.redis.sendCommand(['HKEYS', this.#userKey(user)])) as string[];
    let reached = 0;
    for (const node of nodes) {
      if (node === this.node) {
        if (!this.#local.has(user)) continue;
        this.deliverHere(user, event, data);
        reached++;
        continue;
      }
      // An instance that stopped beating died: its entries are dropped, not sent to.
      if (Number(await this.redis.sendCommand(['EXISTS', this.#nodeKey(node)])) === 0) {
        await this.redis.sendCommand(['HDEL', this.#userKey(user), node]);
        continue;
      }
      await this.redis.sendCommand(['PUBLISH', this.#nodeChannel(node), JSON.stringify({ user, event, data } satisfies Push)]);
      reached++;
    }
    return reached;
  }

  /** Sends a user's answer to the instance that made the request. */
  async forwardReply(node: string, reply: ForwardedReply): Promise<void> {
    await this.redis.sendCommand(['PUBLISH', this.#nodeChannel(node), JSON.stringify({ reply } satisfies NodeMessage)]);
  }

  /** Marks this instance alive, and keeps its users' entries from expiring (a dead instance's go within 6 beats' time). */
  async #beat(): Promise<void> {
    const keep = String(this.#liveMs * 6);
    await Promise.all([
      this.redis.sendCommand(['SET', this.#nodeKey(this.node), '1', 'PX', String(this.#liveMs)]),
      ...[...this.#local.keys()].map((user) => this.redis.sendCommand(['PEXPIRE', this.#userKey(user), keep])),
    ]);
  }

  #userKey(user: string): string {
    return `${this.#prefix}u:{${user}}`;
  }

  #nodeKey(node: string): string {
    return `${this.#prefix}n:${node}`;
  }

  #nodeChannel(node: string): string {
    return `${this.#prefix}node:${node}`;
  }
}
