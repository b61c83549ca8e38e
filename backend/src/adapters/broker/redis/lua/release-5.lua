--[[
  Give back a reserved task that a stopping consumer did not run to its end: out of the in-flight
  set, ahead of its ready list. The delivery still counts (its attempt and history stay): undoing
  it would give the next delivery the same receipt (queue, attempt, mid) as this one. A stale
  receipt (the reservation expired and the task was delivered again, or it was acked) is a no-op.

  KEYS[1] att       hash  mid -> deliveries so far
  KEYS[2] ready     list  of mids (the task's queue)
  KEYS[3] inflight  zset  mid -> visibility deadline (the task's queue)
  KEYS[4] wake      list  wake-up tokens (the task's queue)
  KEYS[5] waiting   zset  mid -> enqueue time, or eta (the queue's waiting order, for queue positions): first again

  ARGV[1] mid
  ARGV[2] attempt of the delivery
  ARGV[3] max deliveries: a task delivered that often stays in flight, for the sweep to move it
          to the dead letters once its reservation expires (as if its consumer had crashed)

  Returns 1 given back, 0 stale or left for the dead letters.
]]
if not redis.call('ZSCORE', KEYS[3], ARGV[1]) or redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  return 0
end
if tonumber(ARGV[2]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[5], 0, ARGV[1])
local n = redis.call('LPUSH', KEYS[2], ARGV[1])
if redis.call('LLEN', KEYS[4]) < n then
  redis.call('RPUSH', KEYS[4], '1')
end
return 1
