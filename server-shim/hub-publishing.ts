import type { EngineRuntime } from './engine';
import type { HubStats } from './live-hub';
import type { ConfirmedPublishOptions, PublishOptions } from './context';
import type { Logger } from './options';
import { checkedPublishId } from './publish-ids';

export interface PublishingDeps {
  engine: EngineRuntime;
  logger: Logger;
  stats: HubStats;
}

/**
 * The three ways an event enters the engine: `publish` (server code, fire and forget: a failure is
 * logged and counted, never silent), `publishConfirmed` (the seq or the error) and a client's
 * publish (its error goes back to that client). Data that cannot be carried throws at once.
 * @internal
 */
export function hubPublishing({ engine, logger, stats }: PublishingDeps) {
  const failed = (topic: string, event: string) => (error: unknown) => {
    stats.publishFailures++;
    logger.error(`[wirestore] publishing "${event}" on "${topic}" failed; the event was not sent:`, error);
    return undefined;
  };
  const publish = (topic: string, event: string, data: unknown, options?: PublishOptions): number | undefined => {
    if (options?.seq === false) return void engine.publishUnsequenced(topic, event, data);
    const seq = engine.publish(topic, event, data, undefined);
    if (typeof seq === 'object') void seq.catch(failed(topic, event));
    return typeof seq === 'object' ? undefined : seq;
  };
  // Misuse (a bad id, data no codec can carry) throws at once; only Redis's trouble rejects.
  const publishConfirmed = (topic: string, event: string, data: unknown, options?: ConfirmedPublishOptions) => {
    const id = checkedPublishId(options?.id);
    return Promise.resolve(engine.publish(topic, event, data, undefined, id));
  };
  const publishFromClient = (topic: string, event: string, data: unknown, sender: string) => engine.publish(topic, event, data, sender);
  return { publish, publishConfirmed, publishFromClient };
}
