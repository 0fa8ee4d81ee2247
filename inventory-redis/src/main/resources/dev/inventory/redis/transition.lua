-- The fast path of a single-node transition (hold.lua's "transition" with the anchor looked up through
-- the id key). Standalone: it carries only what it uses (no common.lua prelude).
--
-- It writes exactly what hold.lua would for a hold whose parts all live in one slot group (every hold
-- a single-node store makes), outside a flash sale's give-back. Anything else (no committed part, a
-- hold over several groups, a flash-sale purchase released or expired, a part or level missing, a
-- change that would break an invariant) answers SLOW before writing anything: the caller then runs
-- hold.lua.
--
-- Several transitions (of concurrent callers) can share one call; each is done in turn, as if alone.
--
-- ARGV[1] key prefix, [2] event id base, [3] "1" to append to the journal, [4] number of transitions,
-- then per transition: rid, now (epoch ms, canonical digits), transition (START_PAYMENT CONFIRM FULFIL
-- CANCEL RELEASE EXPIRE), payment extension ms. Answer: {'DONE', results, {}, {}}, each result as
-- hold.lua answers a transition ({code, part, events, {}}) or {'SLOW'}.

local PX = ARGV[1]
local EVB = ARGV[2]
local JOURNAL = ARGV[3] == '1'
local COUNT = tonumber(ARGV[4])
local call = redis.call
local fmt = string.format
local CSV = '%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d'
local EVN = 0
local TYPES = {P = 'inventory.reservation.pending', C = 'inventory.confirmed', F = 'inventory.fulfilled',
  X = 'inventory.cancelled', R = 'inventory.released', E = 'inventory.expired'}

local function available(L)
  if L[10] ~= 1 then
    return 0
  end
  local a = L[1] - L[4] - L[2] - L[3] - L[5]
  if a < 0 then
    return 0
  end
  return a
end

local function one(rid, NOWS, tr, exts)
local NOW = tonumber(NOWS)

local l = call('HGET', PX .. 'id:{' .. rid .. '}', 'l')
if not l then
  return {'NOTFOUND', {}, {}, {}}
end
local anchor = string.match(l, '^([^,]+),')
local hk = PX .. '{' .. anchor .. '}:hold:' .. rid
local r = call('HMGET', hk, 'L', 'G', 'c', 'u', 'o', 'ca', 'ex', 'up', 'st', 'p', 'tk', 'sh', 'fs', 'fp')
local st = r[9]
if not st or not (st == 'A' or st == 'P' or st == 'C' or st == 'F' or st == 'X' or st == 'R' or st == 'E') then
  return {'SLOW'}
end
local h = {L = r[1] or '', G = r[2] or '', c = r[3] or '', u = r[4] or '', o = r[5] or '',
  ca = tonumber(r[6]) or 0, ex = tonumber(r[7]) or 0, up = tonumber(r[8]) or 0, st = st, p = r[10] or '',
  tk = r[11] or '', sh = r[12] or '', fs = r[13] or ''}

local function pack()
  return {'L', h.L, 'G', h.G, 'c', h.c, 'u', h.u, 'o', h.o, 'ca', fmt('%d', h.ca), 'ex', fmt('%d', h.ex), 'up',
    fmt('%d', h.up), 'st', h.st, 'p', h.p, 'tk', h.tk, 'sh', h.sh}
end

-- the transition table of hold.lua (to, from, replay, fresh)
local to, from, replay, fresh
if tr == 'START_PAYMENT' then
  to, from, replay, fresh = 'P', 'A', 'P', true
elseif tr == 'CONFIRM' then
  to, from, replay, fresh = 'C', 'AP', 'CF', true
elseif tr == 'FULFIL' then
  to, from, replay, fresh = 'F', 'C', 'F', false
elseif tr == 'CANCEL' then
  to, from, replay, fresh = 'X', 'C', 'X', false
elseif tr == 'RELEASE' then
  to, from, replay, fresh = 'R', 'AP', 'R', true
elseif tr == 'EXPIRE' then
  to, from, replay, fresh = 'E', 'AP', 'E', false
else
  return {'SLOW'}
end
if string.find(replay, st, 1, true) then
  return {'REPLAYED', pack(), {}, {}}
end
if st == 'E' then
  return {'EXPIRED', pack(), {}, {}}
end
if not string.find(from, st, 1, true) then
  return {'ILLEGAL', pack(), {}, {}}
end
local holding = st == 'A' or st == 'P'
local due = holding and NOW >= h.ex
if tr == 'EXPIRE' and not due then
  return {'ILLEGAL', pack(), {}, {}}
end
local step = to
local code = 'SUCCESS'
if fresh and due then
  step = 'E'
  code = 'EXPIRED_NOW'
end
if (step == 'R' or step == 'E') and h.fs ~= '' then
  return {'SLOW'}
end
if string.find(h.G, '|', 1, true) then
  return {'SLOW'}
end
local ex = h.ex
if step == 'P' then
  ex = ex + tonumber(exts)
end

-- the parts of the group (the anchor first) and their lines; every part and level must exist
local parts = {}
for sku in string.gmatch(h.G, '[^,]+') do
  if sku ~= anchor then
    local o = call('HMGET', PX .. '{' .. sku .. '}:hold:' .. rid, 'st', 'fs')
    if not o[1] or ((step == 'R' or step == 'E') and o[2] and o[2] ~= '') then
      return {'SLOW'}
    end
  end
  parts[#parts + 1] = sku
end
if parts[1] ~= anchor then
  return {'SLOW'}
end
local lines = {}
for item in string.gmatch(h.L, '[^;]+') do
  local sku, loc, q = string.match(item, '^([^,]+),([^,]+),(%d+)$')
  lines[#lines + 1] = {sku, loc, tonumber(q)}
end

-- compute every change first (in the parts' order, as hold.lua does), then write
local changes = {}
for _, sku in ipairs(parts) do
  for _, ln in ipairs(lines) do
    if ln[1] == sku then
      local k = PX .. '{' .. sku .. '}:lvl:' .. ln[2]
      local v = call('HMGET', k, 'oh', 'al', 'rs', 'dm', 'ss', 'ti', 'to', 'rp', 'mx', 'sl', 'rb', 'v', 'u')
      if not v[12] then
        return {'SLOW'}
      end
      local B = {}
      for f = 1, 13 do
        B[f] = tonumber(v[f]) or 0
      end
      local A = {}
      for f = 1, 13 do
        A[f] = B[f]
      end
      local q = ln[3]
      if step == 'C' then
        A[2] = A[2] + q
        A[3] = A[3] - q
      elseif step == 'F' then
        A[1] = A[1] - q
        A[2] = A[2] - q
      elseif step == 'X' then
        A[2] = A[2] - q
      elseif step == 'R' or step == 'E' then
        A[3] = A[3] - q
      end
      A[12] = B[12] + 1
      A[13] = NOW
      if not (A[1] >= 0 and A[2] >= 0 and A[3] >= 0 and A[4] >= 0 and A[5] >= 0 and A[6] >= 0 and A[7] >= 0
          and A[2] + A[3] + A[4] <= A[1]) then
        return {'SLOW'}
      end
      changes[#changes + 1] = {sku, ln[2], k, q, B, A}
    end
  end
end

local events = {}
local function emit(sku, loc, L, typ, a1, v1, a2, v2, a3, v3)
  EVN = EVN + 1
  local f = {'id', EVB .. fmt('%06x', EVN), 't', typ, 's', sku, 'loc', loc, 'at', NOWS, 'l', fmt(CSV, L[1], L[2],
    L[3], L[4], L[5], L[6], L[7], L[8], L[9], L[10], L[11], L[12], L[13])}
  if a1 then
    f[13] = a1
    f[14] = v1
    f[15] = a2
    f[16] = v2
    if a3 then
      f[17] = a3
      f[18] = v3
    end
  end
  if JOURNAL then
    call('XADD', PX .. '{' .. sku .. '}:journal', '*', unpack(f))
  end
  -- returned packed into one string (fields and values joined by newlines), as reserve.lua does
  events[#events + 1] = table.concat(f, '\n')
end

local typ = TYPES[step]
local exs = fmt('%d', ex)
for _, c in ipairs(changes) do
  local sku, loc, k, q, B, A = c[1], c[2], c[3], c[4], c[5], c[6]
  local qs = fmt('%d', q)
  if step == 'F' then
    call('RPUSH', PX .. '{' .. sku .. '}:ledger:' .. loc, 'FULFILMENT|' .. fmt('%d', -q) .. '|' .. fmt('%d', A[1])
      .. '|' .. fmt('%d', A[12]) .. '|' .. NOWS .. '||' .. rid)
  end
  if step == 'P' then
    emit(sku, loc, A, typ, 'r', rid, 'q', qs, 'x', exs)
  else
    emit(sku, loc, A, typ, 'r', rid, 'q', qs)
  end
  local was = available(B)
  local now = available(A)
  if was > 0 and now == 0 then
    emit(sku, loc, A, 'inventory.out_of_stock')
  end
  if was == 0 and now > 0 and B[12] > 0 then
    emit(sku, loc, A, 'inventory.back_in_stock')
  end
  if A[8] > 0 and now <= A[8] and not (B[8] > 0 and was <= B[8]) then
    local sq = A[9] - A[1] - A[6]
    if sq < 0 then
      sq = 0
    end
    emit(sku, loc, A, 'inventory.level.below_threshold', 'rp', fmt('%d', A[8]), 'sq', fmt('%d', sq))
  end
  if step == 'F' then
    call('HSET', k, 'oh', fmt('%d', A[1]), 'al', fmt('%d', A[2]), 'v', fmt('%d', A[12]), 'u', NOWS)
  else
    call('HSET', k, 'al', fmt('%d', A[2]), 'rs', fmt('%d', A[3]), 'v', fmt('%d', A[12]), 'u', NOWS)
  end
end

h.st = step
h.p = h.p .. step
h.ex = ex
h.up = NOW
for _, sku in ipairs(parts) do
  local base = PX .. '{' .. sku .. '}:'
  call('HSET', base .. 'hold:' .. rid, 'st', step, 'p', h.p, 'ex', exs, 'up', NOWS)
  if step == 'P' then
    call('ZADD', base .. 'due', exs, rid)
  else
    call('ZREM', base .. 'due', rid)
  end
end
return {code, pack(), events, {}}
end

local results = {}
for i = 0, COUNT - 1 do
  local b = 5 + 4 * i
  results[#results + 1] = one(ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3])
end
return {'DONE', results, {}, {}}
