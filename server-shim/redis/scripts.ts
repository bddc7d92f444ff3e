// The Lua scripts of the Redis topic log. Each runs atomically inside Redis: one round trip per
// publish, with nothing able to slip between taking a seq, storing the event and publishing it.
//
// Keys of a topic T (all with the hash tag {T}, so they share one Redis Cluster slot):
//   <p>{T}:m  HASH   e = epoch, s = last seq, r = the Redis run_id the epoch was born under, b = bytes kept
//   <p>{T}:x  STREAM entries with ID <seq>-0, fields d (the event, encoded) and t (ms when stored)
//   <p>{T}:d:<id>  STRING  "<epoch>|<seq>" of a publish made with that id (dedup), for a window
// and the channel <p>{T}, where each message is "<seq>|<epoch>|<event>".

/**
 * The epoch is rotated (a new one, seq back to 0, the stream dropped) when the meta hash is gone
 * (evicted, expired, or a restart without persistence) or when it was born under another Redis
 * process: a restart *with* persistence can bring back an older seq, and a client must never be
 * told "resumed" across events that were lost. `INFO server` is read here rather than passed in,
 * so no client's stale idea of the run_id can skip the check (it costs ~8 µs a publish, measured).
 */
const EPOCH_CHECK = `
local meta, stream = KEYS[1], KEYS[2]
local run = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')
local epoch = redis.call('HGET', meta, 'e')
if (not epoch) or redis.call('HGET', meta, 'r') ~= run then
  epoch = ARGV[1]
  redis.call('DEL', stream)
  redis.call('HSET', meta, 'e', epoch, 's', 0, 'r', run, 'b', 0)
  redis.call('PEXPIRE', meta, ARGV[2])
end
`;

/**
 * KEYS: meta, stream, the publish id's dedup key. ARGV: new epoch (used only if the epoch rotates),
 * TTL (ms), event, now (ms), channel, max events, max bytes, max age (ms), '1' when the publish has
 * an id (else ''), the id's window (ms). Returns { epoch, seq, 1 when the id was published already
 * in this epoch (nothing done: seq is that publish's), else 0 }.
 */
export const APPEND = `${EPOCH_CHECK}
local ttl, event, now, channel = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), ARGV[5]
local maxEvents, maxBytes, maxAge = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local dedup = ARGV[9] == '1'
if dedup then
  local seen = redis.call('GET', KEYS[3])
  if seen then
    local seenEpoch, seenSeq = string.match(seen, '^(.-)|(%d+)$')
    if seenEpoch == epoch then return { epoch, tonumber(seenSeq), 1 } end
  end
end
local seq = redis.call('HINCRBY', meta, 's', 1)
redis.call('XADD', stream, seq .. '-0', 'd', event, 't', now)
local bytes = redis.call('HINCRBY', meta, 'b', #event)
-- Trim from the oldest while over count, bytes or age: the newest event always stays.
local length = redis.call('XLEN', stream)
while length > 1 do
  local head = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
  local fields = head[2]
  local size, at = #fields[2], tonumber(fields[4])
  if length <= maxEvents and bytes <= maxBytes and now - at <= maxAge then break end
  redis.call('XDEL', stream, head[1])
  bytes = redis.call('HINCRBY', meta, 'b', -size)
  length = length - 1
end
redis.call('PEXPIRE', meta, ttl)
redis.call('PEXPIRE', stream, ttl)
redis.call('PUBLISH', channel, seq .. '|' .. epoch .. '|' .. event)
if dedup then redis.call('SET', KEYS[3], epoch .. '|' .. seq, 'PX', ARGV[10]) end
return { epoch, seq, 0 }
`;

/**
 * KEYS: meta, stream. ARGV: new epoch, TTL (ms), the client's epoch, the client's seq, max events
 * returned, max age (ms), now (ms). Returns { epoch, seq, resumed (1 or 0), events... (seq, event pairs) }:
 * resumed only if the epoch matches and the stream still holds every event after the client's seq.
 */
export const SINCE = `${EPOCH_CHECK}
local clientEpoch, from = ARGV[3], tonumber(ARGV[4])
local limit, maxAge, now = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local top = tonumber(redis.call('HGET', meta, 's'))
if clientEpoch ~= epoch or from > top then return { epoch, top, 0 } end
if from == top then return { epoch, top, 1 } end
local entries = redis.call('XRANGE', stream, (from + 1) .. '-0', '+', 'COUNT', limit + 1)
if #entries == 0 or #entries > limit or entries[1][1] ~= (from + 1) .. '-0' then return { epoch, top, 0 } end
if now - tonumber(entries[1][2][4]) > maxAge then return { epoch, top, 0 } end
local reply = { epoch, top, 1 }
for _, entry in ipairs(entries) do
  reply[#reply + 1] = tonumber(string.match(entry[1], '^(%d+)'))
  reply[#reply + 1] = entry[2][2]
end
return reply
`;
