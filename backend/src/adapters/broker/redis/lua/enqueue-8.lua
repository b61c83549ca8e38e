--[[
  Put a task on its ready list, or in the delayed set when its eta is in the future.
  Idempotent per message id: a resent enqueue (reply lost on a dropped connection) is a no-op.

  KEYS[1] msg      hash  mid -> task JSON
  KEYS[2] att      hash  mid -> deliveries so far
  KEYS[3] ready    list  of mids (this task's queue)
  KEYS[4] delayed  zset  mid scored by eta (this task's queue)
  KEYS[5] wake     list  wake-up tokens for blocked consumers (this task's queue)
  KEYS[6] reply    string: result channel of the server waiting for this task (sync calls)
  KEYS[7] due      zset  ready-list key -> when the sweep must next look at that queue
  KEYS[8] waiting  zset  mid -> enqueue time, or eta (the queue's waiting order, for queue positions)

  ARGV[1] mid
  ARGV[2] task JSON
  ARGV[3] attempts so far (0 for a new task)
  ARGV[4] eta in epoch ms, or '' for none
  ARGV[5] now in epoch ms
  ARGV[6] the waiting server's result channel, '' when nobody waits (or it set KEYS[6] itself)
  ARGV[7] TTL of KEYS[6] in ms (the wait's bound)

  Returns the task's place in its queue when queued (1 = next: its rank in `waiting` + 1), -1
  delayed, 0 already known (duplicate enqueue).
]]
if ARGV[6] ~= '' then
  redis.call('SET', KEYS[6], ARGV[6], 'PX', ARGV[7])
end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[8], ARGV[4] ~= '' and ARGV[4] or ARGV[5], ARGV[1])
if ARGV[4] ~= '' and tonumber(ARGV[4]) > tonumber(ARGV[5]) then
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
  redis.call('ZADD', KEYS[7], 'LT', ARGV[4], KEYS[3])
  return -1
end
local n = redis.call('RPUSH', KEYS[3], ARGV[1])
if redis.call('LLEN', KEYS[5]) < n then
  redis.call('RPUSH', KEYS[5], '1')
end
return redis.call('ZRANK', KEYS[8], ARGV[1]) + 1
