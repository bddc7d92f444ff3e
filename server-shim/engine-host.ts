import type { Coalescer } from './coalescer';
import type { EngineHost } from './engine';
import type { Logger } from './options';
import type { PressureSampler } from './pressure';
import { sendFrame } from './socket-data';
import type { SubscribeFlow } from './subscribe-flow';
import type { Topics } from './topics';
import type { UserConnections } from './user-connections';
import type { UserRequests } from './user-requests';

export interface EngineHostDeps {
  topics: Topics;
  users: UserConnections;
  coalescer: Coalescer;
  logger: Logger;
  /** Read when first needed: the flow, the sampler and the requests are built after the engine starts. */
  flow: () => SubscribeFlow;
  sampler: () => PressureSampler;
  requests: () => UserRequests;
}

/** What an engine may do to the hub it runs in: deliver, reset a topic, report its health. @internal */
export function engineHost(deps: EngineHostDeps): EngineHost {
  const { topics, users, coalescer, logger } = deps;
  return {
    topics,
    logger,
    resetTopic(topic, position) {
      topics.adopt(topic, position);
      const flow = deps.flow();
      for (const ws of [...topics.membersOf(topic)]) void flow.reanswer(ws, topic);
    },
    deliverToUser(userKey, event, data) {
      let reached = 0;
      for (const ws of users.ofKey(userKey)) if (sendFrame(ws, { type: 'signal', event, data })) reached++;
      return reached;
    },
    answerRequest: ({ id, user, reply }) => void deps.requests().answer(id, user, reply),
    deliverCoalesced(message) {
      for (const ws of topics.membersOf(message.topic)) coalescer.set(ws, message.key, message);
    },
    setAvailable(available, reason) {
      if (available) logger.info(`[wirestore] ${reason}`);
      else logger.error(`[wirestore] ${reason}`);
      deps.sampler().setEngineAvailable(available);
    },
  };
}
