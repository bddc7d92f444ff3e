import { expect, it } from 'vitest';
import type { Engine } from './engine';
import { memoryEngine } from './memory-engine';
import { redisEngine } from './redis/redis-engine';
import { createServer } from './server';

it('says at once what to pass when the engine is not one wirestore made', () => {
  expect(() => createServer({ engine: { name: 'redis' } as Engine })).toThrow(/memoryEngine\(\).*redisEngine\(\{ url \}\)/);
  expect(() => redisEngine({ url: 'http://127.0.0.1:6379' })).toThrow(/redis:\/\/ or rediss:\/\//);
  expect(() => redisEngine(undefined as never)).toThrow(TypeError);
  expect(createServer({ engine: memoryEngine() }).engine).toBe('memory');
});
