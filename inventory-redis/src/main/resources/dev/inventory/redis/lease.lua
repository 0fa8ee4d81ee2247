-- Releases a relay's lease on one journal stream, only if it still holds it. Standalone (no common.lua prelude).
-- KEYS[1] the lease key, ARGV[5] 'release', ARGV[6] the holder's token.

if ARGV[5] == 'release' then
  if redis.call('GET', KEYS[1]) == ARGV[6] then
    return redis.call('DEL', KEYS[1])
  end
  return 0
end
return redis.error_reply('inventory: unknown lease operation ' .. tostring(ARGV[5]))
