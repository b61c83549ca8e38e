--[[
  Hand a sync result to the server waiting for it: the waiter registered its server's channel
  under the reply key before the task was enqueued. When no subscriber got the message (that
  server's subscription was reconnecting), the result is kept for a while so the waiter can
  fetch it when it resubscribes.

  The reply key is then left empty for as long as a copy would be kept: a mark that the task is
  answered, so the server's lost-task check (redis-results.ts) does not take a result still on
  its way (a large one, say) for a task Redis lost. An empty reply key means nobody waits.

  KEYS[1] reply:<taskId>   string: channel of the waiting server (expires with the wait)
  KEYS[2] result:<taskId>  string: fallback copy of the result

  ARGV[1] result message JSON
  ARGV[2] fallback TTL in ms

  Returns the number of subscribers that received it; -1 when nobody waits for this task.
]]
local channel = redis.call('GET', KEYS[1])
if not channel or channel == '' then return -1 end
redis.call('SET', KEYS[1], '', 'PX', ARGV[2])
local receivers = redis.call('PUBLISH', channel, ARGV[1])
if receivers == 0 then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
end
return receivers
