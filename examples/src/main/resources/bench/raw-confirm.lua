-- Baseline confirm: KEYS[1] reservation hash, KEYS[2..] stock hashes. ARGV[1] quantity.
if redis.call('HGET', KEYS[1], 'status') ~= 'ACTIVE' then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'CONFIRMED')
for i = 2, #KEYS do
  redis.call('HINCRBY', KEYS[i], 'reserved', -tonumber(ARGV[1]))
  redis.call('HINCRBY', KEYS[i], 'allocated', tonumber(ARGV[1]))
end
return 1
