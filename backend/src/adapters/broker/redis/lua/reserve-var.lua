--[[
  Reserve the next task for a consumer from the first non-empty of its queues (in the order
  given): pop it from the ready list, record the delivery (attempt + history) and put it in the
  queue's in-flight set scored by its visibility deadline. Never blocks: the caller blocks on
  the wake lists (BLPOP) between calls.

  The number of keys depends on how many queues the consumer listens to (4 + 4 per queue), so
  this file is named -var instead of -<numberOfKeys>; the caller passes numkeys.

  KEYS[1] msg   hash  mid -> task JSON
  KEYS[2] att   hash  mid -> deliveries so far
  KEYS[3] hist  hash  mid -> JSON array of deliveries
  KEYS[4] due   zset  ready-list key -> when the sweep must next look at that queue
  KEYS[4i + 1] ready:q     list (queue i of the consumer, i = 1..n, in priority order)
  KEYS[4i + 2] inflight:q  zset mid -> visibility deadline
  KEYS[4i + 3] wake:q      list of wake-up tokens
  KEYS[4i + 4] waiting:q   zset mid -> enqueue time (queue positions): a task taken leaves it

  ARGV[1] now (epoch ms)
  ARGV[2] visibility deadline (epoch ms)
  ARGV[3] consumer id, JSON-encoded (a JSON string)
  ARGV[4] index (1..n) of the queue whose wake token the caller just popped, 0 for none, -1 for
          a token of an unknown queue (the call ran right behind a BLPOP): every queue left with
          tasks gets a token back
  ARGV[5] most tasks to take (1 when absent)

  Returns nil when every queue is empty, else { i, mid, task JSON, attempt } for each task
  taken, flattened, in the order they were taken (queue priority, then FIFO).
]]
local n = (#KEYS - 4) / 4
local woken = tonumber(ARGV[4])

-- Keep at least one wake token while a queue has tasks, so a blocked consumer notices them.
local function rewake(i)
  local ready, wake = KEYS[4 * i + 1], KEYS[4 * i + 3]
  if redis.call('LLEN', ready) > 0 and redis.call('LLEN', wake) == 0 then
    redis.call('RPUSH', wake, '1')
  end
end

local max = tonumber(ARGV[5]) or 1
local out = {}
local taken = 0

-- An empty list does not exist: one EXISTS counts the queues with tasks, so the scan stops once
-- it has emptied them all instead of popping every queue of a consumer that listens to many.
local readyKeys = {}
for i = 1, n do readyKeys[i] = KEYS[4 * i + 1] end
local left = redis.call('EXISTS', unpack(readyKeys))

for i = 1, n do
  if left == 0 or taken >= max then break end
  local ready, inflight, waiting = KEYS[4 * i + 1], KEYS[4 * i + 2], KEYS[4 * i + 4]
  local popped = false
  local before = taken
  local emptied = false
  while taken < max do
    local mid = redis.call('LPOP', ready)
    if not mid then
      emptied = true
      break
    end
    popped = true
    redis.call('ZREM', waiting, mid)
    local task = redis.call('HGET', KEYS[1], mid)
    -- An id without its task (acked or dead-lettered meanwhile) is an orphan: dropped.
    if task then
      local attempt = redis.call('HINCRBY', KEYS[2], mid, 1)
      redis.call('ZADD', inflight, ARGV[2], mid)
      local entry = '{"attempt":' .. attempt .. ',"consumer":' .. ARGV[3] .. ',"at":' .. ARGV[1] .. '}'
      local h = redis.call('HGET', KEYS[3], mid)
      if not h or h == '[]' then h = '[' .. entry .. ']' else h = string.sub(h, 1, -2) .. ',' .. entry .. ']' end
      redis.call('HSET', KEYS[3], mid, h)
      out[#out + 1] = i
      out[#out + 1] = mid
      out[#out + 1] = task
      out[#out + 1] = attempt
      taken = taken + 1
    end
  end
  -- The sweep looks at this queue again when these reservations' deadline comes.
  if taken > before then redis.call('ZADD', KEYS[4], 'LT', ARGV[2], ready) end
  if popped then
    -- Stopped by max with tasks left: keep a token for them.
    if emptied then left = left - 1 else rewake(i) end
  end
end
if taken > 0 then
  -- Queues not emptied may still have tasks (none when every one with tasks was emptied).
  if left > 0 then
    if woken > 0 then rewake(woken) end
    if woken < 0 then for i = 1, n do rewake(i) end end
  end
  return out
end
-- Every queue of this consumer is empty: any token left on them is stale.
for i = 1, n do redis.call('DEL', KEYS[4 * i + 3]) end
return nil
