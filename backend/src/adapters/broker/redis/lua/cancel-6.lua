--[[
  Cancel a task that waits: take its id out of the queue's delayed set or ready list and forget
  its body, delivery count and history. A task in flight (reserved by a consumer), finished,
  dead-lettered or unknown is left as it is. The message id is the task id (enqueue).

  KEYS[1] msg      hash  mid -> task JSON
  KEYS[2] att      hash  mid -> deliveries so far
  KEYS[3] hist     hash  mid -> JSON array of deliveries
  KEYS[4] ready    list  of mids (the task's queue)
  KEYS[5] delayed  zset  mid scored by eta (the task's queue)
  KEYS[6] waiting  zset  mid -> enqueue time, or eta (the queue's waiting order, for queue positions)

  ARGV[1] mid

  Returns 1 cancelled, 0 not waiting. A wake token left for it is stale, which reserve handles.
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
if redis.call('ZREM', KEYS[5], ARGV[1]) == 0 and redis.call('LREM', KEYS[4], 1, ARGV[1]) == 0 then
  return 0
end
redis.call('ZREM', KEYS[6], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
