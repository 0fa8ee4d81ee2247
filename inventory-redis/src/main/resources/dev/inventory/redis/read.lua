-- Reads that need more than one command. Standalone (no common.lua prelude); writes nothing.
--
-- ARGV[1] key prefix (namespace + "inv:"), ARGV[5] the operation, ARGV[6] its argument (ARGV[2..4] are
-- the common arguments every script gets; unused here).

local PX = ARGV[1]
local op = ARGV[5]

if op == 'levels' then
  -- sku: every level, ordered by location: {loc, csv, loc, csv, ...} (csv: the 13 fields of common.lua)
  local base = PX .. '{' .. ARGV[6] .. '}:'
  local out = {}
  for _, loc in ipairs(redis.call('ZRANGE', base .. 'locs', '0', '-1')) do
    local r = redis.call('HMGET', base .. 'lvl:' .. loc, 'oh', 'al', 'rs', 'dm', 'ss', 'ti', 'to', 'rp', 'mx', 'sl',
      'rb', 'v', 'u')
    if r[12] then
      for i = 1, 13 do
        r[i] = tonumber(r[i]) or 0
      end
      out[#out + 1] = loc
      out[#out + 1] = string.format('%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d', unpack(r))
    end
  end
  return out
elseif op == 'hold' then
  -- rid (single-node mode): the anchor part of the hold the id key names, as HGETALL would answer
  local rid = ARGV[6]
  local l = redis.call('HGET', PX .. 'id:{' .. rid .. '}', 'l')
  if not l then
    return {}
  end
  local anchor = string.match(l, '^([^,]+),')
  return redis.call('HGETALL', PX .. '{' .. anchor .. '}:hold:' .. rid)
end
return redis.error_reply('inventory: unknown read operation ' .. tostring(op))
