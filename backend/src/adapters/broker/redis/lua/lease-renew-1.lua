--[[
  Renew a leader lease, only if we still hold it.

  KEYS[1] lease:<name>  string: the holder's token (expires)

  ARGV[1] token
  ARGV[2] TTL in ms

  Returns 1 renewed, 0 not the holder (lost or expired).
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
