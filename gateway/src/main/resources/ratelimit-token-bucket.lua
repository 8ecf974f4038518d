-- Token bucket shared by every gateway instance. One call takes up to ARGV[3] tokens, but never
-- more than a quarter of what is left (at least one), so a nearly empty bucket is shared fairly
-- between instances instead of being drained into one instance's lease.
-- KEYS[1]: bucket key. ARGV: rate (tokens/s), burst, wanted tokens.
-- Returns {granted, ms until one token is available, tokens left}.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
local granted = 0
if tokens >= 1 then
  granted = math.max(1, math.min(want, math.floor(tokens / 4)))
  granted = math.min(granted, math.floor(tokens))
end
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
local wait = 0
if tokens < 1 then
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
return {granted, wait, math.floor(tokens)}
