-- Shared prelude of every inventory script; the Java side puts it in front of each script body.
--
-- ARGV[1] key prefix (the namespace + "inv:"), ARGV[2] event id base (the first 30 characters of a
-- version 7 UUID made by the caller), ARGV[3] now (epoch milliseconds, the caller's clock: no script
-- reads the server's clock), ARGV[4] "1" to append events to the journal streams, ARGV[5] the
-- operation; the operation's own arguments follow.
--
-- Every key a script builds for a SKU starts with PX .. "{" .. sku .. "}:", so all of them share
-- the SKU's hash tag and live in one cluster slot. A script only touches the keys of the SKUs it was
-- called for (the Java side groups SKUs by slot), of the reservation id key (its own tag) when called
-- for it, or of the registry (tag "{:reg}", which no SKU can have).
--
-- Writes are deferred: a script first computes every change in memory, checking the invariants of
-- every level it changes, and only then writes. An error raised before the flush leaves nothing
-- half applied.

local PX = ARGV[1]
local EVB = ARGV[2]
local NOW = tonumber(ARGV[3])
local JOURNAL = ARGV[4] == '1'

local function I(n)
  return string.format('%d', n)
end

local function KB(sku) return PX .. '{' .. sku .. '}:' end
local function K_LEVEL(sku, loc) return KB(sku) .. 'lvl:' .. loc end
local function K_LOCS(sku) return KB(sku) .. 'locs' end
local function K_LEDGER(sku, loc) return KB(sku) .. 'ledger:' .. loc end
local function K_HOLD(sku, rid) return KB(sku) .. 'hold:' .. rid end
local function K_DUE(sku) return KB(sku) .. 'due' end
local function K_SEEN(sku) return KB(sku) .. 'seen' end
local function K_JOURNAL(sku) return KB(sku) .. 'journal' end
local function K_ID(rid) return PX .. 'id:{' .. rid .. '}' end
local K_REG_DUE = PX .. '{:reg}:due'
local K_REG_SKUS = PX .. '{:reg}:skus'

-- ------------------------------------------------------------------ deferred writes

local W = {}
local function w(...)
  W[#W + 1] = {...}
end

local EVN = 0
local EVENTS = {}
local REPORT = {}

-- ------------------------------------------------------------------ levels

local LF = {'oh', 'al', 'rs', 'dm', 'ss', 'ti', 'to', 'rp', 'mx', 'sl', 'rb', 'v', 'u'}
local LV = {}
local LV_DIRTY = {}
local LV_ORDER = {}

local function level_read(sku, loc)
  local r = redis.call('HMGET', K_LEVEL(sku, loc), 'oh', 'al', 'rs', 'dm', 'ss', 'ti', 'to', 'rp', 'mx', 'sl', 'rb',
      'v', 'u')
  if not r[12] then
    return false
  end
  local L = {sku = sku, loc = loc}
  for i = 1, 13 do
    L[LF[i]] = tonumber(r[i]) or 0
  end
  return L
end

local function level_empty(sku, loc)
  return {sku = sku, loc = loc, oh = 0, al = 0, rs = 0, dm = 0, ss = 0, ti = 0, to = 0, rp = 0, mx = 0, sl = 1,
    rb = 0, v = 0, u = NOW}
end

local function level_copy(L)
  local c = {}
  for k, v in pairs(L) do
    c[k] = v
  end
  return c
end

-- the current level (after the changes this script made so far), or nil when it does not exist
local function lv(sku, loc)
  local k = sku .. '@' .. loc
  local L = LV[k]
  if L == nil then
    L = level_read(sku, loc)
    LV[k] = L
  end
  if L == false then
    return nil
  end
  return L
end

local function lv_or_empty(sku, loc)
  return lv(sku, loc) or level_empty(sku, loc)
end

local function available(L)
  if L.sl ~= 1 then
    return 0
  end
  local a = L.oh - L.dm - L.al - L.rs - L.ss
  if a < 0 then
    return 0
  end
  return a
end

local function unpromised(L)
  return L.oh - L.al - L.rs - L.dm
end

local function consistent(L)
  return L.oh >= 0 and L.al >= 0 and L.rs >= 0 and L.dm >= 0 and L.ss >= 0 and L.ti >= 0 and L.to >= 0
      and L.al + L.rs + L.dm <= L.oh
end

local function level_csv(L)
  return table.concat({I(L.oh), I(L.al), I(L.rs), I(L.dm), I(L.ss), I(L.ti), I(L.to), I(L.rp), I(L.mx), I(L.sl),
    I(L.rb), I(L.v), I(L.u)}, ',')
end

-- applies f to a copy of the current level, version + 1, updatedAt = now; returns before, after
local function change(sku, loc, f)
  local B = lv_or_empty(sku, loc)
  local A = level_copy(B)
  f(A)
  A.v = B.v + 1
  A.u = NOW
  if not consistent(A) then
    error('inventory: invariant violated, change refused at ' .. sku .. '@' .. loc .. ': ' .. level_csv(A))
  end
  local k = sku .. '@' .. loc
  LV[k] = A
  if not LV_DIRTY[k] then
    LV_DIRTY[k] = true
    LV_ORDER[#LV_ORDER + 1] = k
  end
  return B, A
end

-- ------------------------------------------------------------------ events, ledger

local function emit(L, typ, extra)
  EVN = EVN + 1
  local f = {'id', EVB .. string.format('%06x', EVN), 't', typ, 's', L.sku, 'loc', L.loc, 'at', I(NOW), 'l',
    level_csv(L)}
  for i = 1, #extra do
    f[#f + 1] = extra[i]
  end
  if JOURNAL then
    w('XADD', K_JOURNAL(L.sku), '*', unpack(f))
  end
  EVENTS[#EVENTS + 1] = f
end

local function below(L)
  return L.rp > 0 and available(L) <= L.rp
end

-- the threshold events a change from B to A crosses (same rules as LevelEvents.crossings)
local function crossings(B, A)
  local was = available(B)
  local now = available(A)
  if was > 0 and now == 0 then
    emit(A, 'inventory.out_of_stock', {})
  end
  if was == 0 and now > 0 and B.v > 0 then
    emit(A, 'inventory.back_in_stock', {})
  end
  if below(A) and not below(B) then
    local sq = A.mx - A.oh - A.ti
    if sq < 0 then
      sq = 0
    end
    emit(A, 'inventory.level.below_threshold', {'rp', I(A.rp), 'sq', I(sq)})
  end
end

local function ledger(L, kind, delta, eid, ref)
  w('RPUSH', K_LEDGER(L.sku, L.loc), kind .. '|' .. I(delta) .. '|' .. I(L.oh) .. '|' .. I(L.v) .. '|' .. I(NOW)
      .. '|' .. (eid or '') .. '|' .. (ref or ''))
end

-- ------------------------------------------------------------------ flash sales

-- A sale lives in its SKU's slot: K_FS(sku, sid) hash {spec, st (O open, N ended, C cancelled), loc, np,
-- sa, ea, lim, hd, q, held, sold, ret, pur}, .. ':pools' list of the pools, .. ':users' hash
-- user -> "units,purchases". Read into FS once per script, changed there, written by flush.
local function K_FS(sku, sid) return KB(sku) .. 'fs:' .. sid end
local FSF = {'st', 'loc', 'np', 'sa', 'ea', 'lim', 'hd', 'q', 'held', 'sold', 'ret', 'pur'}
local FS = {}
local FS_ORDER = {}

local function fs_get(sku, sid)
  local k = K_FS(sku, sid)
  local s = FS[k]
  if s == nil then
    local r = redis.call('HMGET', k, unpack(FSF))
    if not r[1] then
      s = false
    else
      s = {sku = sku, sid = sid, k = k, users = {}}
      for i, f in ipairs(FSF) do
        s[f] = r[i]
      end
      for i = 3, #FSF do
        s[FSF[i]] = tonumber(s[FSF[i]])
      end
    end
    FS[k] = s
  end
  if s == false then
    return nil
  end
  return s
end

local function fs_pools(s)
  if not s.pools then
    s.pools = {}
    for i, v in ipairs(redis.call('LRANGE', s.k .. ':pools', '0', '-1')) do
      s.pools[i] = tonumber(v)
    end
  end
  return s.pools
end

local function fs_user(s, user)
  local u = s.users[user]
  if not u then
    local v = redis.call('HGET', s.k .. ':users', user)
    u = {units = 0, count = 0}
    if v then
      local a, b = string.match(v, '^(%-?%d+),(%d+)$')
      u.units = tonumber(a)
      u.count = tonumber(b)
    end
    s.users[user] = u
  end
  return u
end

local function fs_dirty(s)
  if not s.dirty then
    s.dirty = true
    FS_ORDER[#FS_ORDER + 1] = s
  end
end

-- A purchase hold of sale h.fs (q units) was released or expired: its units leave the buyer and sold;
-- while the sale is open they go back to the pool that served them (answer true: the level's reserved
-- stays), after it closed they are returned (answer false: the hold ends normally).
local function fs_takeback(sku, h, q)
  local s = fs_get(sku, h.fs)
  if not s then
    return false
  end
  local u = fs_user(s, h.u)
  u.units = u.units - q
  u.dirty = true
  s.sold = s.sold - q
  fs_dirty(s)
  if s.st == 'O' then
    local p = fs_pools(s)
    local i = tonumber(h.fp) + 1
    p[i] = p[i] + q
    s.pd = s.pd or {}
    s.pd[i] = true
    s.held = s.held + q
    return true
  end
  s.ret = s.ret + q
  return false
end

local function fs_flush()
  for _, s in ipairs(FS_ORDER) do
    local a = {'HSET', s.k}
    for _, f in ipairs(FSF) do
      a[#a + 1] = f
      a[#a + 1] = type(s[f]) == 'number' and I(s[f]) or s[f]
    end
    redis.call(unpack(a))
    if s.fresh then
      local a = {'RPUSH', s.k .. ':pools'}
      for _, v in ipairs(s.pools) do
        a[#a + 1] = I(v)
      end
      redis.call(unpack(a))
      s.fresh = false
    elseif s.pd then
      for i in pairs(s.pd) do
        redis.call('LSET', s.k .. ':pools', I(i - 1), I(s.pools[i]))
      end
    end
    s.pd = nil
    for user, u in pairs(s.users) do
      if u.dirty then
        redis.call('HSET', s.k .. ':users', user, I(u.units) .. ',' .. I(u.count))
        u.dirty = false
      end
    end
    s.dirty = false
  end
  FS_ORDER = {}
end

-- ------------------------------------------------------------------ flush

local function flush()
  for _, k in ipairs(LV_ORDER) do
    local L = LV[k]
    w('HSET', K_LEVEL(L.sku, L.loc), 'oh', I(L.oh), 'al', I(L.al), 'rs', I(L.rs), 'dm', I(L.dm), 'ss', I(L.ss),
        'ti', I(L.ti), 'to', I(L.to), 'rp', I(L.rp), 'mx', I(L.mx), 'sl', I(L.sl), 'rb', I(L.rb), 'v', I(L.v),
        'u', I(L.u))
    w('ZADD', K_LOCS(L.sku), '0', L.loc)
  end
  for i = 1, #W do
    redis.call(unpack(W[i]))
  end
  W = {}
  fs_flush()
  LV_ORDER = {}
  LV_DIRTY = {}
end
