import { createHash } from 'node:crypto';
import type { RedisCommander } from './topic-log';

const digests = new Map<string, string>();

/** Runs a Lua script by its SHA1 (EVALSHA), sending its text once when Redis does not know it yet (NOSCRIPT). */
export async function evalScript(redis: RedisCommander, script: string, keys: string[], args: string[]): Promise<unknown> {
  let digest = digests.get(script);
  if (!digest) digests.set(script, (digest = createHash('sha1').update(script).digest('hex')));
  try {
    return await redis.sendCommand(['EVALSHA', digest, String(keys.length), ...keys, ...args]);
  } catch (error) {
    if (!String(error).includes('NOSCRIPT')) throw error;
    return redis.sendCommand(['EVAL', script, String(keys.length), ...keys, ...args]);
  }
}
