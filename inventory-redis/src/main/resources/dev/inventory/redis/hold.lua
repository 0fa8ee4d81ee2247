-- Reservations (holds). Runs after common.lua.
--
-- A hold is stored as one "part" per SKU of its lines, at K_HOLD(sku, rid), a hash:
--   L  every line of the hold, canonical order: "sku,loc,qty;sku,loc,qty"
--   G  the hold's SKUs grouped by cluster slot: "skuA,skuC|skuB"; the first group is the anchor group,
--      whose first SKU is the anchor. Parts of one group are always changed together, in one script.
--   c u o  cart, user, order ("" when absent)
--   ca ex up  createdAt, expiresAt, updatedAt (epoch ms)
--   st  the state this part has applied: A active, P pending, C confirmed, F fulfilled, X cancelled,
--       R released, E expired, S reserving (anchor of a hold whose other groups are being written),
--       B aborted (never committed; holds nothing), Z fence (a takeover of the id blocked this attempt)
--   p   the path of states this part went through, e.g. "APCF"; the anchor's path is the truth,
--       the other groups replay it ("sync") and so can never take a different branch
--   tk  the token of the reserve attempt that wrote the part
--   sh  for an aborted anchor: "index,available" of the line that was short
-- Parts holding stock (A, P, S) are in the SKU's due index K_DUE(sku), scored by expiresAt, so the
-- sweeper and lazy expiry find them; no key TTL ever removes a part that holds stock (only B and Z
-- tombstones, which hold nothing, get one).

local HOLDING = {A = true, P = true, S = true}
local COMMITTED = {A = true, P = true, C = true, F = true, X = true, R = true, E = true}
local TOMBSTONE_TTL_MS = '86400000'

local function parse_lines(s)
  local out = {}
  for item in string.gmatch(s, '[^;]+') do
    local sku, loc, q = string.match(item, '^([^,]+),([^,]+),(%d+)$')
    out[#out + 1] = {sku = sku, loc = loc, q = tonumber(q)}
  end
  return out
end

local function parse_groups(s)
  local gs = {}
  for g in string.gmatch(s, '[^|]+') do
    local skus = {}
    for sku in string.gmatch(g, '[^,]+') do
      skus[#skus + 1] = sku
    end
    gs[#gs + 1] = skus
  end
  return gs
end

local function group_index(G, sku)
  for i, g in ipairs(G) do
    for _, s in ipairs(g) do
      if s == sku then
        return i
      end
    end
  end
  return 0
end

-- ------------------------------------------------------------------ parts

local HF = {'L', 'G', 'c', 'u', 'o', 'ca', 'ex', 'up', 'st', 'p', 'tk', 'sh'}
local PC = {}

local function part(sku, rid)
  local k = K_HOLD(sku, rid)
  local h = PC[k]
  if h == nil then
    local r = redis.call('HMGET', k, unpack(HF))
    if not r[9] then
      h = false
    else
      h = {}
      for i = 1, #HF do
        h[HF[i]] = r[i] or ''
      end
      h.ca = tonumber(h.ca) or 0
      h.ex = tonumber(h.ex) or 0
      h.up = tonumber(h.up) or 0
    end
    PC[k] = h
  end
  if h == false then
    return nil
  end
  return h
end

local function part_put(sku, rid, h)
  local k = K_HOLD(sku, rid)
  PC[k] = h
  w('HSET', k, 'L', h.L, 'G', h.G, 'c', h.c, 'u', h.u, 'o', h.o, 'ca', I(h.ca), 'ex', I(h.ex), 'up', I(h.up),
      'st', h.st, 'p', h.p, 'tk', h.tk, 'sh', h.sh)
  if h.st == 'B' or h.st == 'Z' then
    w('PEXPIRE', k, TOMBSTONE_TTL_MS)
  else
    w('PERSIST', k)
  end
  if HOLDING[h.st] then
    w('ZADD', K_DUE(sku), I(h.ex), rid)
  else
    w('ZREM', K_DUE(sku), rid)
  end
end

local function pack_part(h)
  if not h then
    return {}
  end
  return {'L', h.L, 'G', h.G, 'c', h.c, 'u', h.u, 'o', h.o, 'ca', I(h.ca), 'ex', I(h.ex), 'up', I(h.up), 'st', h.st,
    'p', h.p, 'tk', h.tk, 'sh', h.sh}
end

-- ------------------------------------------------------------------ quantity effects

-- one line's effect of step c: H hold (reserve), P pending, C confirm, F fulfil, X cancel, R release, E expire
local function step_line(c, rid, ln, ex)
  local q = ln.q
  local B, A
  if c == 'H' then
    B, A = change(ln.sku, ln.loc, function(L) L.rs = L.rs + q end)
    emit(A, 'inventory.reserved', {'r', rid, 'q', I(q), 'x', I(ex)})
  elseif c == 'P' then
    B, A = change(ln.sku, ln.loc, function(L) end)
    emit(A, 'inventory.reservation.pending', {'r', rid, 'q', I(q), 'x', I(ex)})
  elseif c == 'C' then
    B, A = change(ln.sku, ln.loc, function(L) L.al = L.al + q; L.rs = L.rs - q end)
    emit(A, 'inventory.confirmed', {'r', rid, 'q', I(q)})
  elseif c == 'F' then
    B, A = change(ln.sku, ln.loc, function(L) L.oh = L.oh - q; L.al = L.al - q end)
    ledger(A, 'FULFILMENT', -q, '', rid)
    emit(A, 'inventory.fulfilled', {'r', rid, 'q', I(q)})
  elseif c == 'X' then
    B, A = change(ln.sku, ln.loc, function(L) L.al = L.al - q end)
    emit(A, 'inventory.cancelled', {'r', rid, 'q', I(q)})
  elseif c == 'R' then
    B, A = change(ln.sku, ln.loc, function(L) L.rs = L.rs - q end)
    emit(A, 'inventory.released', {'r', rid, 'q', I(q)})
  elseif c == 'E' then
    B, A = change(ln.sku, ln.loc, function(L) L.rs = L.rs - q end)
    emit(A, 'inventory.expired', {'r', rid, 'q', I(q)})
  else
    error('inventory: unknown step ' .. tostring(c))
  end
  crossings(B, A)
end

-- applies the steps to one part's lines and records its new state
local function apply_part(sku, rid, h, steps, path, ex)
  local lines = parse_lines(h.L)
  for i = 1, #steps do
    local c = string.sub(steps, i, i)
    for _, ln in ipairs(lines) do
      if ln.sku == sku then
        step_line(c, rid, ln, ex)
      end
    end
  end
  h.st = string.sub(steps, #steps)
  h.p = path
  h.ex = ex
  h.up = NOW
  part_put(sku, rid, h)
end

-- gives back what a holding part holds (flavor R released or E expired) and makes it a tombstone
local function release_part(sku, rid, h, flavor, path, sh)
  if HOLDING[h.st] then
    for _, ln in ipairs(parse_lines(h.L)) do
      if ln.sku == sku then
        step_line(flavor, rid, ln, h.ex)
      end
    end
  end
  h.st = 'B'
  h.p = path
  h.sh = sh or ''
  h.up = NOW
  part_put(sku, rid, h)
end

local function apply_group(rid, G, gi, steps, path, ex)
  for _, sku in ipairs(G[gi]) do
    local h = part(sku, rid)
    if h then
      apply_part(sku, rid, h, steps, path, ex)
    end
  end
end

-- aborts the anchor group of a hold that was never committed
local function abort_group(rid, G, flavor, sh)
  for _, sku in ipairs(G[1]) do
    local h = part(sku, rid)
    if h then
      release_part(sku, rid, h, flavor, 'S' .. flavor, sh)
    end
  end
end

local function report(kind, rid, anchor)
  REPORT[#REPORT + 1] = kind .. '|' .. rid .. '|' .. anchor
end

local EXPIRED = {}

-- Expires the due hold rid found at sku, as far as this slot can decide:
-- the whole hold when all its SKUs are here, the anchor group when sku is in it (the other groups are
-- reported for the caller to sync), nothing when sku is in another group (reported: the caller
-- expires through the anchor, so a hold never takes two branches).
local function expire_here(sku, rid, h)
  if not HOLDING[h.st] then
    return 'none'
  end
  if h.ex > NOW then
    return 'notdue'
  end
  local G = parse_groups(h.G)
  local gi = group_index(G, sku)
  local anchor = G[1][1]
  if gi ~= 1 then
    report('F', rid, anchor .. ',' .. sku .. ',' .. h.tk)
    return 'follower'
  end
  if h.st == 'S' then
    abort_group(rid, G, 'E', '')
    if #G > 1 then
      report('S', rid, anchor)
    end
    return 'aborted'
  end
  local a = part(anchor, rid)
  apply_group(rid, G, 1, 'E', a.p .. 'E', a.ex)
  if #G > 1 then
    report('S', rid, anchor)
  end
  EXPIRED[#EXPIRED + 1] = rid
  EXPIRED[#EXPIRED + 1] = pack_part(part(anchor, rid))
  return 'expired'
end

-- ------------------------------------------------------------------ stock check with lazy expiry

local function shortages(lines)
  local out = {}
  for i, ln in ipairs(lines) do
    local L = lv(ln.sku, ln.loc)
    local a = L and available(L) or 0
    if ln.q > a then
      out[#out + 1] = {i, a}
    end
  end
  return out
end

-- expires the due holds with a line on a short level (lazy expiry, DESIGN section 3)
local function lazy_expire(lines, short, self)
  local short_levels = {}
  local skus = {}
  for _, s in ipairs(short) do
    local ln = lines[s[1]]
    short_levels[ln.sku .. '@' .. ln.loc] = true
    if not skus[ln.sku] then
      skus[ln.sku] = true
      skus[#skus + 1] = ln.sku
    end
  end
  local any = false
  for _, sku in ipairs(skus) do
    local due = redis.call('ZRANGEBYSCORE', K_DUE(sku), '-inf', I(NOW), 'LIMIT', '0', '1000')
    for _, other in ipairs(due) do
      if other ~= self then
        local h = part(sku, other)
        if not h or not HOLDING[h.st] then
          w('ZREM', K_DUE(sku), other)
        else
          local hit = false
          for _, ln in ipairs(parse_lines(h.L)) do
            if ln.sku == sku and short_levels[sku .. '@' .. ln.loc] then
              hit = true
            end
          end
          if hit then
            local r = expire_here(sku, other, h)
            if r ~= 'none' and r ~= 'notdue' then
              any = true
            end
          end
        end
      end
    end
  end
  return any
end

-- checks lines; when some are short, expires the due holds on the short levels and checks once more
local function check(lines, rid)
  local short = shortages(lines)
  if #short > 0 and lazy_expire(lines, short, rid) then
    short = shortages(lines)
  end
  return short
end

local function lines_of_group(lines, G, gi)
  local out = {}
  local idx = {}
  local in_group = {}
  for _, sku in ipairs(G[gi]) do
    in_group[sku] = true
  end
  for i, ln in ipairs(lines) do
    if in_group[ln.sku] then
      out[#out + 1] = ln
      idx[#idx + 1] = i
    end
  end
  return out, idx
end

local function create_group(rid, G, gi, a, st)
  for _, sku in ipairs(G[gi]) do
    local h = {L = a.L, G = a.G, c = a.c, u = a.u, o = a.o, ca = a.ca, ex = a.ex, up = NOW, st = st, p = st,
      tk = a.tk, sh = ''}
    for _, ln in ipairs(a.lines) do
      if ln.sku == sku then
        step_line('H', rid, ln, a.ex)
      end
    end
    part_put(sku, rid, h)
  end
end

-- ------------------------------------------------------------------ operations

local function reply(code, data)
  flush()
  return {code, data or {}, EVENTS, REPORT}
end

local TR = {
  START_PAYMENT = {to = 'P', from = {A = true}, replay = {P = true}, fresh = true},
  CONFIRM = {to = 'C', from = {A = true, P = true}, replay = {C = true, F = true}, fresh = true},
  FULFIL = {to = 'F', from = {C = true}, replay = {F = true}},
  CANCEL = {to = 'X', from = {C = true}, replay = {X = true}},
  RELEASE = {to = 'R', from = {A = true, P = true}, replay = {R = true}, fresh = true},
  EXPIRE = {to = 'E', from = {A = true, P = true}, replay = {E = true}},
}

local op = ARGV[5]

if op == 'reserve' then
  -- rid, mode (full | anchor | follower | check), token (the claim's for anchor and check: a fence for it
  -- stops the call; the attempt's for follower), L, G, gi, expiresAt, createdAt, cart, user, order,
  -- force ("1": release a part left by an older attempt), bucket width ms, fresh token for a new anchor
  local a = {rid = ARGV[6], mode = ARGV[7], tk = ARGV[8], L = ARGV[9], G = ARGV[10], gi = tonumber(ARGV[11]),
    ex = tonumber(ARGV[12]), ca = tonumber(ARGV[13]), c = ARGV[14], u = ARGV[15], o = ARGV[16]}
  local force = ARGV[17] == '1'
  local width = tonumber(ARGV[18])
  -- a new or restarted anchor gets a fresh token, so nothing written for an earlier attempt can pass for it
  if (a.mode == 'full' or a.mode == 'anchor') and ARGV[19] and ARGV[19] ~= '' then
    a.ntk = ARGV[19]
  end
  local rid = a.rid
  a.lines = parse_lines(a.L)
  local G = parse_groups(a.G)
  local mine, idx = lines_of_group(a.lines, G, a.gi)
  local st = 'A'

  if a.mode == 'full' or a.mode == 'anchor' or (a.mode == 'check' and a.gi == 1) then
    -- idempotency comes before any stock check
    local h = part(G[1][1], rid)
    if h then
      if COMMITTED[h.st] then
        if h.L == a.L then
          return reply('REPLAYED', pack_part(h))
        end
        return reply('IDCONFLICT', pack_part(h))
      elseif h.st == 'S' then
        if h.ex > NOW then
          return reply('JOIN', pack_part(h))
        end
        abort_group(rid, parse_groups(h.G), 'E', '')
        if #parse_groups(h.G) > 1 then
          report('S', rid, G[1][1])
        end
      elseif h.st == 'Z' and h.tk == a.tk then
        return reply('FENCED', pack_part(h))
      end
    end
    if a.mode == 'full' then
      local other = redis.call('HGET', K_ID(rid), 'l')
      if other and other ~= a.L then
        local oa = part(parse_lines(other)[1].sku, rid)
        if oa and COMMITTED[oa.st] then
          return reply('IDCONFLICT', pack_part(oa))
        end
      end
    end
    if #G > 1 then
      st = 'S'
    end
  elseif a.mode == 'follower' then
    local existing = 0
    for _, sku in ipairs(G[a.gi]) do
      local h = part(sku, rid)
      if h then
        if h.tk == a.tk then
          if h.st == 'B' then
            return reply('ABORTED', pack_part(h))
          end
          existing = existing + 1
        elseif HOLDING[h.st] then
          if not force then
            return reply('FOREIGN', pack_part(h))
          end
          release_part(sku, rid, h, 'R', h.p, '')
        end
      end
    end
    if existing > 0 then
      return reply('EXISTS')
    end
  end

  local short = check(mine, rid)
  if a.mode == 'check' then
    local data = {}
    for _, s in ipairs(short) do
      data[#data + 1] = I(idx[s[1]] - 1)
      data[#data + 1] = I(s[2])
    end
    return reply('CHECKED', data)
  end
  if #short > 0 then
    return reply('SHORT', {I(idx[short[1][1]] - 1), I(short[1][2])})
  end
  if a.ntk then
    a.tk = a.ntk
  end
  create_group(rid, G, a.gi, a, st)
  if a.mode == 'full' then
    w('HSET', K_ID(rid), 'l', a.L, 't', a.tk)
    for _, sku in ipairs(G[1]) do
      local bucket = math.floor(a.ex / width) * width
      w('ZADD', K_REG_DUE, 'NX', I(bucket), I(bucket) .. ':' .. sku)
      w('SADD', K_REG_SKUS, sku)
    end
  end
  return reply('CREATED', pack_part(part(G[a.gi][1], rid)))

elseif op == 'transition' then
  -- rid, anchor SKU ("" to look it up through the id key: single-node mode), transition, extension ms
  local rid = ARGV[6]
  local anchor = ARGV[7]
  if anchor == '' then
    local l = redis.call('HGET', K_ID(rid), 'l')
    if not l then
      return reply('NOTFOUND')
    end
    anchor = parse_lines(l)[1].sku
  end
  local h = part(anchor, rid)
  if not h or not COMMITTED[h.st] then
    return reply('NOTFOUND', pack_part(h))
  end
  local t = TR[ARGV[8]]
  local ext = tonumber(ARGV[9])
  if t.replay[h.st] then
    return reply('REPLAYED', pack_part(h))
  end
  if h.st == 'E' then
    return reply('EXPIRED', pack_part(h))
  end
  if not t.from[h.st] then
    return reply('ILLEGAL', pack_part(h))
  end
  local due = HOLDING[h.st] and NOW >= h.ex
  if ARGV[8] == 'EXPIRE' and not due then
    return reply('ILLEGAL', pack_part(h))
  end
  local step = t.to
  local code = 'SUCCESS'
  if t.fresh and due then
    step = 'E'
    code = 'EXPIRED_NOW'
  end
  local ex = h.ex
  if step == 'P' then
    ex = ex + ext
  end
  local G = parse_groups(h.G)
  apply_group(rid, G, 1, step, h.p .. step, ex)
  return reply(code, pack_part(part(anchor, rid)))

elseif op == 'sync' then
  -- rid, group SKUs ("a,b"), anchor path, anchor token, anchor expiresAt, anchor SKU: brings a non-anchor
  -- group to the anchor's state, replaying the steps it missed; a part of another attempt is reported
  local rid = ARGV[6]
  local apath = ARGV[8]
  local atok = ARGV[9]
  local aex = tonumber(ARGV[10])
  for sku in string.gmatch(ARGV[7], '[^,]+') do
    local h = part(sku, rid)
    if h then
      if h.tk ~= atok then
        if HOLDING[h.st] then
          -- written by another attempt: an orphan if the anchor has moved on, else this snapshot is stale;
          -- the caller decides with the anchor's current token
          report('O', rid, ARGV[11] .. ',' .. sku .. ',' .. h.tk)
        end
      elseif string.sub(apath, 1, 1) == 'S' or apath == '' then
        if #apath > 1 then
          if HOLDING[h.st] then
            release_part(sku, rid, h, string.sub(apath, 2, 2), apath, '')
          end
        elseif HOLDING[h.st] and h.ex ~= aex then
          h.ex = aex
          part_put(sku, rid, h)
        end
      elseif h.st ~= 'B' then
        local f = h.p
        if string.sub(apath, 1, #f) == f then
          local steps = string.sub(apath, #f + 1)
          if #steps > 0 then
            apply_part(sku, rid, h, steps, apath, aex)
          elseif HOLDING[h.st] and h.ex ~= aex then
            h.ex = aex
            part_put(sku, rid, h)
          end
        elseif string.sub(f, 1, #apath) ~= apath then
          report('D', rid, sku)
        end
        -- else: the part is already past this (older) snapshot of the anchor
      end
    end
  end
  return reply('SYNCED')

elseif op == 'expire' then
  -- sku, rid...: the sweeper's step on one SKU; answers the holds it expired and the SKU's next due time
  local sku = ARGV[6]
  for i = 7, #ARGV do
    local h = part(sku, ARGV[i])
    if h then
      expire_here(sku, ARGV[i], h)
    else
      w('ZREM', K_DUE(sku), ARGV[i])
    end
  end
  flush()
  local nxt = redis.call('ZRANGE', K_DUE(sku), '0', '0', 'WITHSCORES')
  local data = {nxt[2] or '', EXPIRED}
  return {'EXPIRED', data, EVENTS, REPORT}

elseif op == 'commit' then
  -- rid, anchor SKU, token: the commit point of a hold spread over several slots
  local rid = ARGV[6]
  local h = part(ARGV[7], rid)
  if h and h.st == 'S' and h.tk == ARGV[8] then
    for _, sku in ipairs(parse_groups(h.G)[1]) do
      local g = part(sku, rid)
      g.st = 'A'
      g.p = 'A'
      part_put(sku, rid, g)
    end
    return reply('COMMITTED', pack_part(h))
  elseif h and COMMITTED[h.st] then
    return reply('ALREADY', pack_part(h))
  elseif h and h.st == 'B' then
    return reply('ABORTED', pack_part(h))
  end
  return reply('GONE', pack_part(h))

elseif op == 'abort' then
  -- rid, anchor SKU, token, flavor (R released, E expired), shortage "index,available"
  local rid = ARGV[6]
  local h = part(ARGV[7], rid)
  if h and h.st == 'S' and h.tk == ARGV[8] then
    abort_group(rid, parse_groups(h.G), ARGV[9], ARGV[10])
    return reply('ABORTED', pack_part(part(ARGV[7], rid)))
  elseif h and COMMITTED[h.st] then
    return reply('ALREADY', pack_part(h))
  elseif h and h.st == 'B' then
    return reply('ABORTED', pack_part(h))
  end
  return reply('GONE', pack_part(h))

elseif op == 'orphan' then
  -- rid, sku, token: releases the part an earlier attempt left, if it is still that attempt's (the
  -- caller saw the anchor carry another token, so that attempt can never commit)
  local rid = ARGV[6]
  local sku = ARGV[7]
  local h = part(sku, rid)
  if h and h.tk == ARGV[8] and HOLDING[h.st] then
    local G = parse_groups(h.G)
    for _, s in ipairs(G[group_index(G, sku)]) do
      local g = part(s, rid)
      if g and g.tk == ARGV[8] and HOLDING[g.st] then
        release_part(s, rid, g, 'R', g.p, '')
      end
    end
    return reply('RELEASED')
  end
  return reply('KEPT')

elseif op == 'fence' then
  -- rid, anchor SKU of the lines the id key names, that claim's token: before an id is taken over by
  -- a reserve with other lines, blocks the attempt that claimed it unless its hold exists
  local rid = ARGV[6]
  local sku = ARGV[7]
  local h = part(sku, rid)
  if h and COMMITTED[h.st] then
    return reply('EXISTS', pack_part(h))
  end
  if h and h.st == 'S' then
    if h.ex > NOW then
      return reply('BUSY', pack_part(h))
    end
    local G = parse_groups(h.G)
    abort_group(rid, G, 'E', '')
    if #G > 1 then
      report('S', rid, sku)
    end
  end
  part_put(sku, rid, {L = '', G = sku, c = '', u = '', o = '', ca = NOW, ex = NOW, up = NOW, st = 'Z', p = 'Z',
    tk = ARGV[8], sh = ''})
  return reply('FENCED')
end

return redis.error_reply('inventory: unknown hold operation ' .. tostring(op))
