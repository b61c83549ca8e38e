--[[
  Finish a delivery and move its task to the dead letters with a reason (its retries are used
  up), in one step. A stale receipt changes nothing.

  KEYS[1] inflight:q  zset
  KEYS[2] msg         hash mid -> task JSON
  KEYS[3] att         hash mid -> deliveries so far
  KEYS[4] hist        hash mid -> JSON array of deliveries
  KEYS[5] done:q      counter of finished tasks
  KEYS[6] dead        list of dead-letter JSON entries, newest first

  ARGV[1] mid
  ARGV[2] attempt of the delivery
  ARGV[3] now in epoch ms
  ARGV[4] the reason, as a JSON string (quoted)
  ARGV[5] dead-letter list cap (entries kept)
  ARGV[6] queue number (recorded in the entry)

  Returns the entry JSON, or false for a stale receipt.
]]
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then
  return false
end
local task = redis.call('HGET', KEYS[2], ARGV[1])
local hist = redis.call('HGET', KEYS[4], ARGV[1]) or '[]'
local entry = '{"queue":' .. ARGV[6] .. ',"attempts":' .. ARGV[2] .. ',"at":' .. ARGV[3] .. ',"reason":' .. ARGV[4] .. ',"history":' .. hist .. ',"task":' .. task .. '}'
redis.call('LPUSH', KEYS[6], entry)
redis.call('LTRIM', KEYS[6], 0, tonumber(ARGV[5]) - 1)
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('INCR', KEYS[5])
return entry
