export { createClient } from './client';
export type { Client, ClientOptions, CallOptions, PressureState } from './client';
export type { ConnectionHooks, WebSocketConstructor } from './connection';
export type { ConnectionStatus, ConnectionState } from './status';
export type { SubscribeOptions, EventListener } from './topic-listeners';
export type { StreamStore, StreamStatus, SyncOutcome, HydrationData } from './stream-store';
export type { StreamOptions } from './stream-cache';
export type { StreamStorage, PersistedStream } from './stream-persistence';
export { combine } from './combine';
export { mergerFor } from './merge/index';
export { memoryQueueStorage } from './memory-queue-storage';
export type { OfflineOptions, OfflineQueueState, QueuedCall, QueueStorage } from './offline-queue';
export type { Merger } from './merge/index';
export type { CodecChoice } from './codec-choice';
export type { ApiPath, ApiStreamPath, CallPath, CallArgs, CallResult, StreamPath, StreamArgs, StreamValue } from './api-types';
export { RpcError } from './rpc-error';
export { reconnectDelay } from './backoff';
export type { BackoffOptions } from './backoff';
export { classifyClose, CloseCode, ErrorCode, jsonCodec, PROTOCOL_VERSION } from '../protocol/index';
export type {
  CloseClass,
  Codec,
  EventEnvelope,
  SignalFrame,
  SubscribedFrame,
  DeniedFrame,
  Position,
  MergeConfig,
  MergeStrategyName,
} from '../protocol/index';
