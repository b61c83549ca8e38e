--[[
  Finish deliveries, any number at once: forget each task and count it done. A stale receipt
  (the reservation expired and the task was delivered again, or it was already acked) is a no-op
  for that task.

  The number of keys depends on how many queues the deliveries come from (3 + 3 per queue), so
  this file is named -var; the caller passes numkeys.

  KEYS[1] msg   hash
  KEYS[2] att   hash
  KEYS[3] hist  hash
  KEYS[3 + 3i - 2] inflight:q  zset (queue i = 1..n)
  KEYS[3 + 3i - 1] done:q      counter of acked tasks
  KEYS[3 + 3i]     rate:q:<s>  counter of tasks acked in second <s> (expires)

  ARGV[1] rate key TTL in ms
  then for each delivery three values: queue index i (1..n), mid, attempt of the delivery

  Returns the number of deliveries acked (stale receipts not counted).
]]
local acked = 0
local perQueue = {}
for j = 2, #ARGV, 3 do
  local i = tonumber(ARGV[j])
  local mid, attempt = ARGV[j + 1], ARGV[j + 2]
  local inflight = KEYS[3 + 3 * i - 2]
  if redis.call('ZSCORE', inflight, mid) and redis.call('HGET', KEYS[2], mid) == attempt then
    redis.call('ZREM', inflight, mid)
    redis.call('HDEL', KEYS[1], mid)
    redis.call('HDEL', KEYS[2], mid)
    redis.call('HDEL', KEYS[3], mid)
    perQueue[i] = (perQueue[i] or 0) + 1
    acked = acked + 1
  end
end
for i, n in pairs(perQueue) do
  redis.call('INCRBY', KEYS[3 + 3 * i - 1], n)
  local rate = KEYS[3 + 3 * i]
  if redis.call('INCRBY', rate, n) == n then redis.call('PEXPIRE', rate, ARGV[1]) end
end
return acked
