-- The seed-style reserve a host would hand-write (the benchmark's Redis baseline):
-- stock check, HINCRBY, a reservation hash and a ZADD into an expiry index.
-- KEYS: for each line i: KEYS[2i-1] = stock hash of the SKU, KEYS[2i] = expiry zset of the SKU;
--       KEYS[#KEYS] = reservation hash
-- ARGV: [1] quantity per line, [2] expiresAt millis, [3] reservation id
local q = tonumber(ARGV[1])
local lines = (#KEYS - 1) / 2
for i = 1, lines do
  local available = tonumber(redis.call('HGET', KEYS[2 * i - 1], 'available') or '0')
  if available < q then
    return 0
  end
end
for i = 1, lines do
  redis.call('HINCRBY', KEYS[2 * i - 1], 'available', -q)
  redis.call('HINCRBY', KEYS[2 * i - 1], 'reserved', q)
  redis.call('ZADD', KEYS[2 * i], ARGV[2], ARGV[3])
end
redis.call('HSET', KEYS[#KEYS], 'quantity', q, 'status', 'ACTIVE', 'expiresAt', ARGV[2])
return 1
