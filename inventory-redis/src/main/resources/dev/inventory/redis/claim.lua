-- The reservation id key K_ID(rid), a hash {l = lines, t = token, g = generation}: which lines (and so
-- which anchor SKU) an id belongs to. Its own hash tag is the id, so this script runs in the id's slot.
-- Used only when a hold's SKUs and its id are in different slots (Redis Cluster); on a single node the
-- hold script writes the id key itself. Standalone (no common.lua prelude): ARGV[1] is the key prefix.
--
-- g grows by one each time the id is claimed anew (NEW, a replace, an ensure of a missing claim) and
-- survives a delete: an attempt carries the generation it claimed under, and a fence written at an
-- anchor blocks every attempt of that generation OR OLDER, so an attempt that slept through several
-- takeovers cannot pass a fence that a later takeover overwrote (a token alone could not tell).
--
-- ARGV[5] operation, ARGV[6] rid, ARGV[7] lines, ARGV[8] token, then:
--   claim                 -> {'NEW', g} | {'SAME', token, g} | {'OTHER', lines, token, g}
--   ensure                -> {'OK', g} | {'OTHER', lines, token, g}  (after creating a hold someone else claimed)
--   delete                -> {'DELETED'} | {'KEPT'}              (only when the token still matches; keeps g)
--   replace old_l old_t   -> {'OK', g} | {'CHANGED'}             (compare and set, for a takeover)

local op = ARGV[5]
local key = ARGV[1] .. 'id:{' .. ARGV[6] .. '}'
local l = ARGV[7]
local t = ARGV[8]
local cur = redis.call('HMGET', key, 'l', 't', 'g')
local g = cur[3] or '0'

local function take()
  g = tostring(redis.call('HINCRBY', key, 'g', 1))
  redis.call('HSET', key, 'l', l, 't', t)
  return g
end

if op == 'claim' then
  if not cur[1] then
    return {'NEW', take()}
  end
  if cur[1] == l then
    return {'SAME', cur[2] or '', g}
  end
  return {'OTHER', cur[1], cur[2] or '', g}
elseif op == 'ensure' then
  if not cur[1] then
    return {'OK', take()}
  end
  if cur[1] == l then
    redis.call('HSET', key, 't', t)
    return {'OK', g}
  end
  return {'OTHER', cur[1], cur[2] or '', g}
elseif op == 'delete' then
  if cur[2] == t then
    redis.call('HDEL', key, 'l', 't')
    return {'DELETED'}
  end
  return {'KEPT'}
elseif op == 'replace' then
  if cur[1] == ARGV[9] and cur[2] == ARGV[10] then
    return {'OK', take()}
  end
  return {'CHANGED'}
end
return redis.error_reply('inventory: unknown claim operation ' .. tostring(op))
