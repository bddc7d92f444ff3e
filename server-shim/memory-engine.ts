import { defineEngine, type Engine } from './engine';

/**
 * The default engine: one process is the whole cluster. Seqs, replay, presence and the
 * idempotency window live in this process's memory; nothing else is needed to run.
 * @example createServer({ api, engine: memoryEngine() }) // the same as leaving `engine` out
 */
export function memoryEngine(): Engine {
  return defineEngine({ name: 'memory' }, (host) => ({
    ready: Promise.resolve(),
    publish: (topic, event, data, sender, id) => host.topics.publish(topic, event, data, true, sender, id),
    publishUnsequenced: (topic, event, data) => void host.topics.publish(topic, event, data, false),
    publishCoalesced: (message) => host.deliverCoalesced(message),
    follow: () => undefined,
    history: () => undefined,
    release: () => {},
    userConnected: () => {},
    userDisconnected: () => {},
    sendToUser: (userId, event, data) => Promise.resolve(host.deliverToUser(userId, event, data)),
    node: 'local',
    forwardReply: () => {}, // one process: every request is its own
    runOnce: undefined,
    callLimit: undefined,
    presence: undefined,
    keySecret: () => undefined,
    stop: () => Promise.resolve(),
  }));
}
