--[[
  Push a reservation's visibility deadline out while its task runs. Stale receipts are ignored.

  KEYS[1] inflight:q  zset mid -> deadline
  KEYS[2] att         hash mid -> deliveries so far

  ARGV[1] mid
  ARGV[2] attempt of the delivery
  ARGV[3] new deadline (epoch ms)

  Returns 1 extended, 0 stale receipt.
]]
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
return 1
