--[[
  Finish a delivery and queue the task's next attempt (same mid, new message) in one step: the
  reservation is dropped, the message replaced, its deliveries and their history reset, and the
  task put in the delayed set (or on its ready list when its eta has come). A stale receipt
  (the reservation expired and the task went back, or it was finished) changes nothing.

  KEYS[1] inflight:q  zset (the delivery's queue)
  KEYS[2] msg         hash mid -> task JSON
  KEYS[3] att         hash mid -> deliveries so far
  KEYS[4] hist        hash mid -> JSON array of deliveries
  KEYS[5] done:q      counter of finished tasks (the delivery's queue)
  KEYS[6] ready:n     list (the next attempt's queue)
  KEYS[7] delayed:n   zset (the next attempt's queue)
  KEYS[8] wake:n      list of wake-up tokens (the next attempt's queue)
  KEYS[9] due         zset ready-list key -> when the sweep must next look at that queue
  KEYS[10] waiting:n  zset  mid -> enqueue time, or eta (the queue's waiting order, for queue positions)

  ARGV[1] mid
  ARGV[2] attempt of the delivery
  ARGV[3] the next attempt's task JSON
  ARGV[4] its eta in epoch ms, or '' for none
  ARGV[5] now in epoch ms

  Returns 1 queued, 2 delayed, 0 stale receipt.
]]
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], '0')
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('INCR', KEYS[5])
redis.call('ZADD', KEYS[10], ARGV[4] ~= '' and ARGV[4] or ARGV[5], ARGV[1])
if ARGV[4] ~= '' and tonumber(ARGV[4]) > tonumber(ARGV[5]) then
  redis.call('ZADD', KEYS[7], ARGV[4], ARGV[1])
  redis.call('ZADD', KEYS[9], 'LT', ARGV[4], KEYS[6])
  return 2
end
local n = redis.call('RPUSH', KEYS[6], ARGV[1])
if redis.call('LLEN', KEYS[8]) < n then
  redis.call('RPUSH', KEYS[8], '1')
end
return 1
