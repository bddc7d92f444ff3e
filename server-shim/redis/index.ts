export { redisEngine } from './redis-engine';
export type { RedisEngine, RedisEngineOptions } from './redis-engine';
export type { TopicLogLimits } from './topic-log';
export type { SharedIdempotencyOptions } from './idempotency-store';
export type { ProbeOptions } from './pubsub-probe';
export { redisPublisher } from './publisher';
export type { RedisPublisher, RedisPublisherOptions } from './publisher';
