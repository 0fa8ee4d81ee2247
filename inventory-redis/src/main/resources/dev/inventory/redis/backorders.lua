-- The backorder queue (RedisBackorderQueue). Standalone. Every key carries the tag {:bo} (no SKU can be
-- it), so the whole queue lives in one cluster slot and each operation is atomic:
--   <px>{:bo}:seq            arrival counter
--   <px>{:bo}:b:<id>         one request: s (seq), a (accepted at), c ("1": confirm when served),
--                            cart, user, order, h (hold ns, "" for none), L (lines "sku,loc,q;...")
--   <px>{:bo}:w:<sku>:<loc>  sorted set: ids waiting at that level, score = seq
--   <px>{:bo}:q              hash of queued units: "s:<sku>" and "l:<sku>:<loc>"
-- ARGV[1] key prefix (namespace + "inv:"), ARGV[2] operation, then its arguments.

local PX = ARGV[1] .. '{:bo}:'
local op = ARGV[2]
local call = redis.call

local function lines(L)
  local out = {}
  for sku, loc, q in string.gmatch(L, '([^,;]+),([^,;]+),([^,;]+)') do
    out[#out + 1] = {sku, loc, q}
  end
  return out
end

local function request(id)
  local r = call('HMGET', PX .. 'b:' .. id, 's', 'a', 'c', 'cart', 'user', 'order', 'h', 'L')
  if not r[1] then
    return false
  end
  return {id, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]}
end

if op == 'add' then
  -- ARGV[3] id, [4] accepted at, [5] cart, [6] user, [7] order, [8] hold ns, [9] lines
  local id = ARGV[3]
  local k = PX .. 'b:' .. id
  if call('EXISTS', k) == 1 then
    return false
  end
  local seq = call('INCR', PX .. 'seq')
  call('HSET', k, 's', seq, 'a', ARGV[4], 'c', '0', 'cart', ARGV[5], 'user', ARGV[6], 'order', ARGV[7], 'h', ARGV[8],
    'L', ARGV[9])
  for _, l in ipairs(lines(ARGV[9])) do
    call('ZADD', PX .. 'w:' .. l[1] .. ':' .. l[2], seq, id)
    call('HINCRBY', PX .. 'q', 's:' .. l[1], l[3])
    call('HINCRBY', PX .. 'q', 'l:' .. l[1] .. ':' .. l[2], l[3])
  end
  return seq
elseif op == 'find' then
  return request(ARGV[3])
elseif op == 'mark' then
  local k = PX .. 'b:' .. ARGV[3]
  if call('EXISTS', k) == 0 then
    return 0
  end
  call('HSET', k, 'c', '1')
  return 1
elseif op == 'remove' then
  local k = PX .. 'b:' .. ARGV[3]
  local L = call('HGET', k, 'L')
  if not L then
    return 0
  end
  for _, l in ipairs(lines(L)) do
    call('ZREM', PX .. 'w:' .. l[1] .. ':' .. l[2], ARGV[3])
    for _, f in ipairs({'s:' .. l[1], 'l:' .. l[1] .. ':' .. l[2]}) do
      if call('HINCRBY', PX .. 'q', f, -tonumber(l[3])) <= 0 then
        call('HDEL', PX .. 'q', f)
      end
    end
  end
  call('DEL', k)
  return 1
elseif op == 'waiting' then
  -- ARGV[3] sku, [4] location
  local out = {}
  for _, id in ipairs(call('ZRANGE', PX .. 'w:' .. ARGV[3] .. ':' .. ARGV[4], 0, -1)) do
    local r = request(id)
    if r then
      out[#out + 1] = r
    end
  end
  return out
end
return redis.error_reply('inventory: unknown backorder operation ' .. tostring(op))
