-- Flash sales (FlashSaleStore). Runs after common.lua and holds.lua. Every operation touches only the
-- keys of one SKU (its hash tag): the sale K_FS(sku, sid) and its lists, the level, the buyers' holds,
-- the SKU's due index and journal; the id key of a purchase hold only on one node (ARGV writeId "1").
--
-- Lottery keys of a sale: .. ':e' hash user -> "W" waiting | "L" lost | "T|tokenId|expiresAt" won,
-- .. ':w' sorted set of the waiting (score, user), .. ':out' sorted set of outstanding token ids by
-- expiry (ms), .. ':used' set of redeemed token ids. The token bucket of a SKU: KB(sku) .. 'tb', its
-- theoretical arrival time in epoch microseconds.

local function fs_pack(s)
  local p = fs_pools(s)
  local ps = {}
  for i, v in ipairs(p) do
    ps[i] = I(v)
  end
  local spec = redis.call('HGET', s.k, 'spec')
  return {spec, s.st, I(s.held), I(s.sold), I(s.ret), I(s.pur), table.concat(ps, ',')}
end

local function neighbour(pref, k, n)
  local off
  if k % 2 == 1 then
    off = (k + 1) / 2
  else
    off = -(k / 2)
  end
  return (pref + off) % n
end

-- takes q (at most held) from the first pool with q in the order p, p+1, p-1, ...; greedily when none
-- has q alone; answers the first pool that gave units (0-based)
local function take(s, pref, q)
  local p = fs_pools(s)
  local n = #p
  s.pd = s.pd or {}
  for k = 0, n - 1 do
    local i = neighbour(pref, k, n) + 1
    if p[i] >= q then
      p[i] = p[i] - q
      s.pd[i] = true
      s.held = s.held - q
      return i - 1
    end
  end
  local first = -1
  local left = q
  for k = 0, n - 1 do
    if left <= 0 then
      break
    end
    local i = neighbour(pref, k, n) + 1
    local t = math.min(p[i], left)
    if t > 0 then
      if first < 0 then
        first = i - 1
      end
      p[i] = p[i] - t
      s.pd[i] = true
      left = left - t
    end
  end
  if left > 0 then
    error('inventory: flash sale ' .. s.sid .. ' take of ' .. I(q) .. ' beyond held ' .. I(s.held))
  end
  s.held = s.held - q
  return first
end

local function entry_of(s, user)
  local e = redis.call('HGET', s.k .. ':e', user)
  if not e then
    return {'NONE'}
  end
  if e == 'W' then
    return {'W', I(redis.call('ZRANK', s.k .. ':w', user) + 1)}
  end
  if e == 'L' then
    return {'L'}
  end
  local tok, exp = string.match(e, '^T|([^|]+)|(.+)$')
  return {'T', tok, exp}
end

local op = ARGV[5]

if op == 'open' then
  -- sku, loc, sid, spec text, quantity, pools, startsAt, endsAt, perUserLimit, holdDuration (ms)
  local sku, loc, sid, spec = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
  local q, np = tonumber(ARGV[10]), tonumber(ARGV[11])
  local k = K_FS(sku, sid)
  local existing = redis.call('HGET', k, 'spec')
  if existing then
    return reply(existing == spec and 'REPLAYED' or 'IDCONFLICT', fs_pack(fs_get(sku, sid)))
  end
  local short = check({{sku = sku, loc = loc, q = q}}, '')
  if #short > 0 then
    return reply('SHORT', {I(short[1][2])})
  end
  local ea = tonumber(ARGV[13])
  local B, A = change(sku, loc, function(L) L.rs = L.rs + q end)
  emit(A, 'inventory.reserved', {'r', 'fs:' .. sid, 'q', I(q), 'x', I(ea)})
  crossings(B, A)
  local s = {sku = sku, sid = sid, k = k, users = {}, st = 'O', loc = loc, np = np, sa = tonumber(ARGV[12]),
    ea = ea, lim = tonumber(ARGV[14]), hd = tonumber(ARGV[15]), q = q, held = q, sold = 0, ret = 0, pur = 0,
    pools = {}, fresh = true}
  for i = 0, np - 1 do
    s.pools[i + 1] = math.floor(q / np) + ((i < q % np) and 1 or 0)
  end
  FS[k] = s
  fs_dirty(s)
  w('HSET', k, 'spec', spec)
  flush()
  return {'STARTED', fs_pack(s), EVENTS, REPORT}

elseif op == 'purchase' then
  -- sku, sid, user, quantity, preferred pool, caller's id ("" to derive), token id (""), hold token,
  -- writeId ("1": write the id key here, one node), expected id ("" on one node; on a cluster the id
  -- the caller claimed ahead: a derived id that differs answers STALE and changes nothing)
  local sku, sid, user = ARGV[6], ARGV[7], ARGV[8]
  local q, pref, rid, tok, htk = tonumber(ARGV[9]), tonumber(ARGV[10]), ARGV[11], ARGV[12], ARGV[13]
  local write_id = ARGV[14] == '1'
  local expect = ARGV[15] or ''
  local s = fs_get(sku, sid)
  if not s then
    return reply('UNKNOWN')
  end
  if pref >= s.np then
    return reply('BADPOOL', {I(s.np)})
  end
  if rid ~= '' then
    local h = part(sku, rid)
    if h then
      local ls = parse_lines(h.L)
      if h.fs == sid and h.u == user and #ls == 1 and ls[1].q == q and COMMITTED[h.st] then
        local data = {rid, h.fp}
        for _, v in ipairs(pack_part(h)) do
          data[#data + 1] = v
        end
        return reply('REPLAYED', data)
      end
      return reply('IDCONFLICT', {rid})
    end
    if write_id and redis.call('EXISTS', K_ID(rid)) == 1 then
      return reply('IDCONFLICT', {rid})
    end
  end
  if s.st ~= 'O' then
    return reply('NOTACTIVE', {s.st == 'C' and 'CANCELLED' or 'ENDED'})
  end
  if NOW < s.sa then
    return reply('NOTACTIVE', {'SCHEDULED'})
  end
  if NOW >= s.ea then
    return reply('NOTACTIVE', {'ENDED'})
  end
  if tok ~= '' and redis.call('SISMEMBER', s.k .. ':used', tok) == 1 then
    return reply('USED')
  end
  local u = fs_user(s, user)
  if u.units + q > s.lim then
    return reply('LIMIT', {I(u.units), I(s.lim)})
  end
  if s.held < q then
    -- the sale's due purchase holds go back to their pools first
    local due = redis.call('ZRANGEBYSCORE', K_DUE(sku), '-inf', I(NOW), 'LIMIT', '0', '1000')
    for _, other in ipairs(due) do
      local h = part(sku, other)
      if h and h.fs == sid and HOLDING[h.st] then
        expire_here(sku, other, h)
      end
    end
    if s.held < q then
      return reply('SOLDOUT')
    end
  end
  local id = rid
  if id == '' then
    id = 'fs:' .. sid .. ':' .. user .. ':' .. I(u.count + 1)
    if expect ~= '' and id ~= expect then
      return reply('STALE', {id})
    end
    if part(sku, id) or (write_id and redis.call('EXISTS', K_ID(id)) == 1) then
      return reply('IDCONFLICT', {id})
    end
  end
  local pool = take(s, pref, q)
  local h = {L = sku .. ',' .. s.loc .. ',' .. I(q), G = sku, c = '', u = user, o = '', ca = NOW, ex = NOW + s.hd,
    up = NOW, st = 'A', p = 'A', tk = htk, sh = '', fs = sid, fp = I(pool)}
  part_put(sku, id, h)
  w('HSET', K_HOLD(sku, id), 'fs', sid, 'fp', I(pool))
  if write_id then
    w('HSET', K_ID(id), 'l', h.L, 't', htk)
  end
  u.units = u.units + q
  u.count = u.count + 1
  u.dirty = true
  s.sold = s.sold + q
  s.pur = s.pur + 1
  fs_dirty(s)
  if tok ~= '' then
    w('SADD', s.k .. ':used', tok)
    w('ZREM', s.k .. ':out', tok)
  end
  local _, A = change(sku, s.loc, function(L) end)
  emit(A, 'inventory.reserved', {'r', id, 'q', I(q), 'x', I(h.ex)})
  local data = {id, I(pool)}
  for _, v in ipairs(pack_part(h)) do
    data[#data + 1] = v
  end
  return reply('PURCHASED', data)

elseif op == 'close' then
  -- sku, sid, status (N ended, C cancelled)
  local sku, sid = ARGV[6], ARGV[7]
  local s = fs_get(sku, sid)
  if not s then
    return reply('UNKNOWN')
  end
  if s.st ~= 'O' then
    local data = fs_pack(s)
    data[#data + 1] = '0'
    return reply('CLOSED', data)
  end
  local r = s.held
  s.st = ARGV[8]
  local p = fs_pools(s)
  s.pd = s.pd or {}
  for i = 1, #p do
    if p[i] ~= 0 then
      p[i] = 0
      s.pd[i] = true
    end
  end
  s.held = 0
  s.ret = s.ret + r
  fs_dirty(s)
  if r > 0 then
    local B, A = change(sku, s.loc, function(L) L.rs = L.rs - r end)
    emit(A, 'inventory.released', {'r', 'fs:' .. sid, 'q', I(r)})
    crossings(B, A)
  end
  local data = fs_pack(s)
  data[#data + 1] = I(r)
  return reply('CLOSED', data)

elseif op == 'sale' then
  local s = fs_get(ARGV[6], ARGV[7])
  if not s then
    return reply('UNKNOWN')
  end
  return reply('SALE', fs_pack(s))

elseif op == 'acquire' then
  -- sku, now (epoch microseconds), emission interval T (microseconds), burst, permits
  local k = KB(ARGV[6]) .. 'tb'
  local nowus, T, burst, n = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
  local tat = tonumber(redis.call('GET', k) or '0')
  local nxt = math.max(tat, nowus) + n * T
  if nxt - nowus > burst * T then
    return reply('WAIT', {I(nxt - burst * T - nowus)})
  end
  redis.call('SET', k, I(nxt))
  return reply('GRANTED', {'0'})

elseif op == 'enter' then
  -- sku, sid, user, score
  local s = fs_get(ARGV[6], ARGV[7])
  local user = ARGV[8]
  if not s then
    return reply('ENTRY', {'CLOSED'})
  end
  if not redis.call('HGET', s.k .. ':e', user) then
    if s.st ~= 'O' or NOW >= s.ea then
      return reply('ENTRY', {'CLOSED'})
    end
    redis.call('HSET', s.k .. ':e', user, 'W')
    redis.call('ZADD', s.k .. ':w', ARGV[9], user)
  end
  return reply('ENTRY', entry_of(s, user))

elseif op == 'entry' then
  local s = fs_get(ARGV[6], ARGV[7])
  if not s then
    return reply('ENTRY', {'CLOSED'})
  end
  local e = entry_of(s, ARGV[8])
  if e[1] == 'NONE' and s.st ~= 'O' then
    return reply('ENTRY', {'CLOSED'})
  end
  return reply('ENTRY', e)

elseif op == 'draw' then
  -- sku, sid, token expiry (ms), token expiry (text), token ids...
  local s = fs_get(ARGV[6], ARGV[7])
  if not s or s.st ~= 'O' or NOW < s.sa or NOW >= s.ea then
    return reply('SHUT')
  end
  local out = s.k .. ':out'
  redis.call('ZREMRANGEBYSCORE', out, '-inf', I(NOW))
  local n = #ARGV - 9
  local waiting = redis.call('ZCARD', s.k .. ':w')
  local free = s.held - redis.call('ZCARD', out)
  n = math.min(n, waiting, math.max(0, free))
  local data = {}
  if n > 0 then
    local popped = redis.call('ZPOPMIN', s.k .. ':w', I(n))
    for i = 1, n do
      local user = popped[2 * i - 1]
      local tok = ARGV[9 + i]
      redis.call('HSET', s.k .. ':e', user, 'T|' .. tok .. '|' .. ARGV[9])
      redis.call('ZADD', out, ARGV[8], tok)
      data[#data + 1] = user
      data[#data + 1] = tok
    end
  end
  return reply('DRAWN', data)

elseif op == 'drop' then
  -- sku, sid, limit
  local s = fs_get(ARGV[6], ARGV[7])
  if not s or s.st == 'O' then
    return reply('DROPPED')
  end
  local data = {}
  local popped = redis.call('ZPOPMIN', s.k .. ':w', ARGV[8])
  for i = 1, #popped, 2 do
    redis.call('HSET', s.k .. ':e', popped[i], 'L')
    data[#data + 1] = popped[i]
  end
  return reply('DROPPED', data)
end

return redis.error_reply('inventory: unknown flash-sale operation ' .. tostring(op))
