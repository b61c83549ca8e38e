--[[
  Finish a delivery: forget the task and count it done. A stale receipt (the reservation
  expired and the task was delivered again, or it was already acked) is a no-op.

  KEYS[1] inflight:q  zset
  KEYS[2] msg         hash
  KEYS[3] att         hash
  KEYS[4] hist        hash
  KEYS[5] done:q      counter of acked tasks
  KEYS[6] rate:q:<s>  counter of tasks acked in second <s> (expires)

  ARGV[1] mid
  ARGV[2] attempt of the delivery
  ARGV[3] rate key TTL in ms

  Returns 1 acked, 0 stale receipt.
]]
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('INCR', KEYS[5])
if redis.call('INCR', KEYS[6]) == 1 then redis.call('PEXPIRE', KEYS[6], ARGV[3]) end
return 1
