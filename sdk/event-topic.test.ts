import { expect, it } from 'vitest';
import { jsonCodec } from '../protocol/json-codec';
import { msgpackCodec } from '../protocol/msgpack-codec';
import { eventTopic } from './event-topic';

it('reads the topic of an event from the front of its JSON, escapes included, and nothing from other frames', () => {
  expect(eventTopic(JSON.stringify({ topic: 'todos', event: 'created', data: { topic: 'x' }, seq: 1 }), jsonCodec)).toBe('todos');
  expect(eventTopic(JSON.stringify({ topic: 'a"b\\c', event: 'e', data: 1 }), jsonCodec)).toBe('a"b\\c');
  expect(eventTopic(JSON.stringify({ type: 'result', id: 1, data: { topic: 'todos' } }), jsonCodec)).toBeUndefined();
  expect(eventTopic('{"topic":"unterminated', jsonCodec)).toBeUndefined();
});

it('reads the topic of a MessagePack event by decoding it', () => {
  const bytes = msgpackCodec.encode({ topic: 'chat', event: 'said', data: 'hi', seq: 3 }) as Uint8Array;
  const payload = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  expect(eventTopic(payload, msgpackCodec)).toBe('chat');
  const reply = msgpackCodec.encode({ type: 'pong' }) as Uint8Array;
  expect(eventTopic(reply.slice().buffer as ArrayBuffer, msgpackCodec)).toBeUndefined();
});
