--[[
  Release a leader lease, only if we hold it.

  KEYS[1] lease:<name>  string: the holder's token

  ARGV[1] token

  Returns 1 released, 0 not the holder.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
