-- Put in front of every script (before common.lua). KEYS[2], when the caller gives it, is a key that must
-- exist (RedisInventoryStore.requiringKey: the tiered store's "Redis is loaded" marker); when it does not,
-- the script refuses before it reads or writes anything, so no write lands on a Redis that lost its data.
if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 0 then
  return redis.error_reply('REQUIREDKEY ' .. KEYS[2] .. ' is missing: Redis lost its data and is not rebuilt yet')
end
