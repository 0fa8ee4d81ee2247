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
-- hold.lua answers a transition ({code, part, events, {}}; a change leaves the empty report out: {code,
-- part, events}), the part packed ({"h", packed, ...} of what is set), or {'SLOW'}.
--
-- As in reserve.lua: events are packed strings, journal entries one field 'e' holding that string, and a
-- level's event snapshot is its stored strings joined (only changed fields formatted).

local PX = ARGV[1]
local EVB = ARGV[2]
local JOURNAL = ARGV[3] == '1'
local COUNT = tonumber(ARGV[4])
local call = redis.call
local fmt = string.format
local byte = string.byte
local EVN = 0
-- a part's packed field 'h' (holds.lua): L G ca ex up st p tk joined by '\n'
local HPAT = '^([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)$'
-- a finished hold's part and id key are kept for a day (holds.lua's FINISHED_TTL_MS), then expire
local FINISHED = {F = true, X = true, R = true, E = true}
local FINISHED_TTL_MS = '86400000'
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
local r = call('HMGET', hk, 'h', 'c', 'u', 'o', 'sh', 'fs')
-- a part of the previous layout (no 'h') goes through hold.lua, which rewrites it packed
if not r[1] then
  return {'SLOW'}
end
local L, G, ca, ex0, up, st, p, tk = string.match(r[1], HPAT)
if not st or not (st == 'A' or st == 'P' or st == 'C' or st == 'F' or st == 'X' or st == 'R' or st == 'E') then
  return {'SLOW'}
end
local h = {L = L, G = G, c = r[2] or '', u = r[3] or '', o = r[4] or '', ex = tonumber(ex0) or 0, st = st, p = p,
  tk = tk, sh = r[5] or '', fs = r[6] or ''}

-- the part as answered: its packed field as stored (Reply.part expands it), and the fields of their own
local hv = r[1]
-- (only those that are set: a reply's every element costs Redis to convert)
local function pack()
  if h.c == '' and h.u == '' and h.o == '' and h.sh == '' then
    return {'h', hv}
  end
  return {'h', hv, 'c', h.c, 'u', h.u, 'o', h.o, 'sh', h.sh}
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
-- (each with what its 'h' keeps as it is: L, G, ca, tk)
local parts = {}
local kept = {}
for sku in string.gmatch(h.G, '[^,]+') do
  if sku ~= anchor then
    local o = call('HMGET', PX .. '{' .. sku .. '}:hold:' .. rid, 'h', 'fs')
    if not o[1] or ((step == 'R' or step == 'E') and o[2] and o[2] ~= '') then
      return {'SLOW'}
    end
    local oL, oG, oca, _, _, ost, _, otk = string.match(o[1], HPAT)
    if not ost then
      return {'SLOW'}
    end
    kept[sku] = {oL, oG, oca, otk}
  else
    kept[sku] = {h.L, h.G, ca, h.tk}
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
      -- numbers and S, the fields as stored (canonical digits); only what a transition computes with is
      -- parsed (tonumber is strtod): ti and to, only checked for being negative, are -1 or 0, sl 1 or 0,
      -- mx, rb, u 0
      local S = {}
      for f = 1, 13 do
        S[f] = v[f] or '0'
      end
      local B = {tonumber(S[1]) or 0, tonumber(S[2]) or 0, tonumber(S[3]) or 0, tonumber(S[4]) or 0,
        tonumber(S[5]) or 0, byte(S[6]) == 45 and -1 or 0, byte(S[7]) == 45 and -1 or 0,
        S[8] == '0' and 0 or tonumber(S[8]) or 0, 0, S[10] == '1' and 1 or 0, 0, tonumber(S[12]) or 0, 0}
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
      if not (A[1] >= 0 and A[2] >= 0 and A[3] >= 0 and A[4] >= 0 and A[5] >= 0 and A[6] >= 0 and A[7] >= 0
          and A[2] + A[3] + A[4] <= A[1]) then
        return {'SLOW'}
      end
      changes[#changes + 1] = {sku, ln[2], k, q, B, A, S}
    end
  end
end

local events = {}
-- an event packed (fields and values joined by newlines), as reserve.lua does; csv: the level's fields
-- joined by commas; tail: '' or '\n' .. the extra fields and values joined by newlines
local function emit(sku, loc, csv, typ, tail)
  EVN = EVN + 1
  local e = 'id\n' .. EVB .. fmt('%06x', EVN) .. '\nt\n' .. typ .. '\ns\n' .. sku .. '\nloc\n' .. loc .. '\nat\n'
    .. NOWS .. '\nl\n' .. csv .. tail
  if JOURNAL then
    call('XADD', PX .. '{' .. sku .. '}:journal', '*', 'e', e)
  end
  events[#events + 1] = e
end

local typ = TYPES[step]
local exs = fmt('%d', ex)
for _, c in ipairs(changes) do
  local sku, loc, k, q, B, A, S = c[1], c[2], c[3], c[4], c[5], c[6], c[7]
  local qs = fmt('%d', q)
  -- the changed fields as strings (S becomes the level after the change)
  if A[1] ~= B[1] then
    S[1] = fmt('%d', A[1])
  end
  if A[2] ~= B[2] then
    S[2] = fmt('%d', A[2])
  end
  if A[3] ~= B[3] then
    S[3] = fmt('%d', A[3])
  end
  S[12] = fmt('%d', A[12])
  S[13] = NOWS
  local csv = table.concat(S, ',')
  if step == 'F' then
    call('RPUSH', PX .. '{' .. sku .. '}:ledger:' .. loc, 'FULFILMENT|' .. fmt('%d', -q) .. '|' .. S[1]
      .. '|' .. S[12] .. '|' .. NOWS .. '||' .. rid)
  end
  if step == 'P' then
    emit(sku, loc, csv, typ, '\nr\n' .. rid .. '\nq\n' .. qs .. '\nx\n' .. exs)
  else
    emit(sku, loc, csv, typ, '\nr\n' .. rid .. '\nq\n' .. qs)
  end
  local was = available(B)
  local now = available(A)
  if was > 0 and now == 0 then
    emit(sku, loc, csv, 'inventory.out_of_stock', '')
  end
  if was == 0 and now > 0 and B[12] > 0 then
    emit(sku, loc, csv, 'inventory.back_in_stock', '')
  end
  if A[8] > 0 and now <= A[8] and not (B[8] > 0 and was <= B[8]) then
    local sq = tonumber(S[9]) - A[1] - (tonumber(S[6]) or 0)
    if sq < 0 then
      sq = 0
    end
    emit(sku, loc, csv, 'inventory.level.below_threshold', '\nrp\n' .. S[8] .. '\nsq\n' .. fmt('%d', sq))
  end
  if step == 'F' then
    call('HSET', k, 'oh', S[1], 'al', S[2], 'v', S[12], 'u', NOWS)
  else
    call('HSET', k, 'al', S[2], 'rs', S[3], 'v', S[12], 'u', NOWS)
  end
end

h.st = step
h.p = h.p .. step
h.ex = ex
for _, sku in ipairs(parts) do
  local base = PX .. '{' .. sku .. '}:'
  local kp = kept[sku]
  local v = kp[1] .. '\n' .. kp[2] .. '\n' .. kp[3] .. '\n' .. exs .. '\n' .. NOWS .. '\n' .. step .. '\n' .. h.p .. '\n'
    .. kp[4]
  if sku == anchor then
    hv = v
  end
  call('HSET', base .. 'hold:' .. rid, 'h', v)
  if step == 'P' then
    call('ZADD', base .. 'due', exs, rid)
  else
    call('ZREM', base .. 'due', rid)
  end
  if FINISHED[step] then
    call('PEXPIRE', base .. 'hold:' .. rid, FINISHED_TTL_MS)
  end
end
if FINISHED[step] then
  call('PEXPIRE', PX .. 'id:{' .. rid .. '}', FINISHED_TTL_MS)
end
return {code, pack(), events}
end

local results = {}
for i = 0, COUNT - 1 do
  local b = 5 + 4 * i
  results[#results + 1] = one(ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3])
end
return {'DONE', results, {}, {}}
