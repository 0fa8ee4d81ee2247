-- Reservations (holds): the library hold.lua and flash.lua share. Runs after common.lua.
--
-- A hold is stored as one "part" per SKU of its lines, at K_HOLD(sku, rid), a hash. Its fields L G ca ex
-- up st p tk (none can hold a newline) are packed into one field 'h', joined by '\n' in that order (Redis
-- writes and reads one field far cheaper than eight); c u o sh (free text, rare) and fs fp (flash sale) are
-- fields of their own, absent when empty. A part written before 'h' existed (each field on its own) still
-- reads, and is rewritten packed by its next change here. Every part's fields:
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
-- sweeper and lazy expiry find them; no key TTL ever removes a part that holds or allocates stock. B and
-- Z tombstones (they hold nothing) and finished parts (F X R E: the retention of replays, as the
-- in-memory store keeps finished holds) expire a day after they were written.

local HOLDING = {A = true, P = true, S = true}
local COMMITTED = {A = true, P = true, C = true, F = true, X = true, R = true, E = true}
local FINISHED = {F = true, X = true, R = true, E = true}
local TOMBSTONE_TTL_MS = '86400000'
local FINISHED_TTL_MS = '86400000'

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

-- fs fp: on a flash-sale purchase hold, its sale id and the pool that served it ('' otherwise)
-- the packed fields (in 'h', in this order), then the fields of their own
local HP = {'L', 'G', 'ca', 'ex', 'up', 'st', 'p', 'tk'}
local HO = {'c', 'u', 'o', 'sh', 'fs', 'fp'}
local HPAT = '^([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)$'
local PC = {}

local function part(sku, rid)
  local k = K_HOLD(sku, rid)
  local h = PC[k]
  if h == nil then
    local r = redis.call('HMGET', k, 'h', unpack(HO))
    local v
    local old = false
    if r[1] then
      v = {string.match(r[1], HPAT)}
    else
      -- a part of the previous layout: each field on its own
      v = redis.call('HMGET', k, unpack(HP))
      old = true
    end
    if not v[6] then
      h = false
    else
      h = {}
      for i = 1, #HP do
        h[HP[i]] = v[i] or ''
      end
      for i = 1, #HO do
        h[HO[i]] = r[i + 1] or ''
      end
      h.ca = tonumber(h.ca) or 0
      h.ex = tonumber(h.ex) or 0
      h.up = tonumber(h.up) or 0
      h.old = old
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
  if h.old then
    w('HDEL', k, unpack(HP))
    h.old = false
  end
  w('HSET', k, 'h', h.L .. '\n' .. h.G .. '\n' .. I(h.ca) .. '\n' .. I(h.ex) .. '\n' .. I(h.up) .. '\n' .. h.st .. '\n'
      .. h.p .. '\n' .. h.tk, 'c', h.c, 'u', h.u, 'o', h.o, 'sh', h.sh)
  if h.st == 'B' or h.st == 'Z' then
    w('PEXPIRE', k, TOMBSTONE_TTL_MS)
  elseif FINISHED[h.st] then
    w('PEXPIRE', k, FINISHED_TTL_MS)
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
-- h: the part the line belongs to (for flash-sale purchase holds), or nil
local function step_line(c, rid, ln, ex, h)
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
  elseif c == 'R' or c == 'E' then
    -- a flash-sale purchase hold of an open sale gives its units back to the sale's pool: reserved stays
    local back = h ~= nil and h.fs ~= nil and h.fs ~= '' and fs_takeback(ln.sku, h, q)
    B, A = change(ln.sku, ln.loc, function(L)
      if not back then
        L.rs = L.rs - q
      end
    end)
    emit(A, c == 'R' and 'inventory.released' or 'inventory.expired', {'r', rid, 'q', I(q)})
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
        step_line(c, rid, ln, ex, h)
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
        step_line(flavor, rid, ln, h.ex, h)
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

