-- Reads that need more than one command. Runs after common.lua; writes nothing.

local op = ARGV[5]

if op == 'levels' then
  -- sku: every level, ordered by location: {loc, csv, loc, csv, ...}
  local sku = ARGV[6]
  local out = {}
  for _, loc in ipairs(redis.call('ZRANGE', K_LOCS(sku), '0', '-1')) do
    local L = level_read(sku, loc)
    if L then
      out[#out + 1] = loc
      out[#out + 1] = level_csv(L)
    end
  end
  return out
elseif op == 'hold' then
  -- rid (single-node mode): the anchor part of the hold the id key names, as HGETALL would answer
  local rid = ARGV[6]
  local l = redis.call('HGET', K_ID(rid), 'l')
  if not l then
    return {}
  end
  local anchor = string.match(l, '^([^,]+),')
  return redis.call('HGETALL', K_HOLD(anchor, rid))
end
return redis.error_reply('inventory: unknown read operation ' .. tostring(op))
