-- The reservation id key K_ID(rid), a hash {l = lines, t = token}: which lines (and so which anchor
-- SKU) an id belongs to. Its own hash tag is the id, so this script runs in the id's slot. Used only
-- when a hold's SKUs and its id are in different slots (Redis Cluster); on a single node the hold
-- script writes the id key itself. Standalone (no common.lua prelude): ARGV[1] is the key prefix.
--
-- ARGV[5] operation, ARGV[6] rid, ARGV[7] lines, ARGV[8] token, then:
--   claim                 -> {'NEW'} | {'SAME', token} | {'OTHER', lines, token}
--   ensure                -> {'OK'} | {'OTHER', lines, token}   (after creating a hold someone else claimed)
--   delete                -> {'DELETED'} | {'KEPT'}              (only when the token still matches)
--   replace old_l old_t   -> {'OK'} | {'CHANGED'}                (compare and set, for a takeover)

local op = ARGV[5]
local key = ARGV[1] .. 'id:{' .. ARGV[6] .. '}'
local l = ARGV[7]
local t = ARGV[8]
local cur = redis.call('HMGET', key, 'l', 't')

if op == 'claim' then
  if not cur[1] then
    redis.call('HSET', key, 'l', l, 't', t)
    return {'NEW'}
  end
  if cur[1] == l then
    return {'SAME', cur[2] or ''}
  end
  return {'OTHER', cur[1], cur[2] or ''}
elseif op == 'ensure' then
  if not cur[1] or cur[1] == l then
    redis.call('HSET', key, 'l', l, 't', t)
    return {'OK'}
  end
  return {'OTHER', cur[1], cur[2] or ''}
elseif op == 'delete' then
  if cur[2] == t then
    redis.call('DEL', key)
    return {'DELETED'}
  end
  return {'KEPT'}
elseif op == 'replace' then
  if cur[1] == ARGV[9] and cur[2] == ARGV[10] then
    redis.call('HSET', key, 'l', l, 't', t)
    return {'OK'}
  end
  return {'CHANGED'}
end
return redis.error_reply('inventory: unknown claim operation ' .. tostring(op))
