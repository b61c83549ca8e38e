--[[
  One queue's housekeeping, run by any instance (atomic, so instances may race freely):
  1. delayed tasks whose eta has come go to the tail of the ready list;
  2. reservations past their visibility deadline go back to the tail of the ready list, or to
     the dead letters (with their delivery history) once delivered maxDeliveries times.

  KEYS[1] ready:q     list
  KEYS[2] inflight:q  zset mid -> visibility deadline
  KEYS[3] delayed:q   zset mid -> eta
  KEYS[4] wake:q      list of wake-up tokens
  KEYS[5] msg         hash mid -> task JSON
  KEYS[6] att         hash mid -> deliveries so far
  KEYS[7] hist        hash mid -> JSON array of deliveries
  KEYS[8] dead        list of dead-letter JSON entries, newest first
  KEYS[9] due         zset ready-list key -> when the sweep must next look at that queue: set
                      here to the earliest eta or deadline left (or removed when none is)

  ARGV[1] now (epoch ms)
  ARGV[2] maxDeliveries
  ARGV[3] dead-letter list cap (entries kept)
  ARGV[4] at most this many tasks moved per kind per call
  ARGV[5] queue number (recorded in dead letters)

  Returns { promoted, requeued, deadEntry1, deadEntry2, ... } where each deadEntry is
  '{"queue":q,"attempts":n,"at":now,"history":[...],"task":{...}}'.
]]
local now, maxDeliveries, cap, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local out = { 0, 0 }

local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, limit)
for _, mid in ipairs(due) do
  redis.call('ZREM', KEYS[3], mid)
  if redis.call('HEXISTS', KEYS[5], mid) == 1 then
    redis.call('RPUSH', KEYS[1], mid)
    out[1] = out[1] + 1
  end
end

local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
for _, mid in ipairs(expired) do
  redis.call('ZREM', KEYS[2], mid)
  local task = redis.call('HGET', KEYS[5], mid)
  if task then
    local attempts = tonumber(redis.call('HGET', KEYS[6], mid) or '0')
    if attempts >= maxDeliveries then
      local hist = redis.call('HGET', KEYS[7], mid) or '[]'
      local entry = '{"queue":' .. ARGV[5] .. ',"attempts":' .. attempts .. ',"at":' .. now .. ',"history":' .. hist .. ',"task":' .. task .. '}'
      redis.call('LPUSH', KEYS[8], entry)
      redis.call('LTRIM', KEYS[8], 0, cap - 1)
      redis.call('HDEL', KEYS[5], mid)
      redis.call('HDEL', KEYS[6], mid)
      redis.call('HDEL', KEYS[7], mid)
      out[#out + 1] = entry
    else
      redis.call('RPUSH', KEYS[1], mid)
      out[2] = out[2] + 1
    end
  end
end

local moved = out[1] + out[2]
if moved > 0 then
  local missing = redis.call('LLEN', KEYS[1]) - redis.call('LLEN', KEYS[4])
  for _ = 1, math.min(moved, missing) do redis.call('RPUSH', KEYS[4], '1') end
end

-- The queue's next look: its earliest eta or visibility deadline (due now again when this call
-- hit its limit). A reservation extended since is looked at once more, early, and set right then.
local next = nil
for _, set in ipairs({ KEYS[3], KEYS[2] }) do
  local first = redis.call('ZRANGE', set, 0, 0, 'WITHSCORES')
  if first[2] and (next == nil or tonumber(first[2]) < next) then next = tonumber(first[2]) end
end
if next then redis.call('ZADD', KEYS[9], next, KEYS[1]) else redis.call('ZREM', KEYS[9], KEYS[1]) end
return out
