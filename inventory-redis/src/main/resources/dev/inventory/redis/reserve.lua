-- The fast path of a single-node reserve ("full" mode of hold.lua), for one reservation or a batch of
-- them in list order. Standalone: it carries only what it uses (no common.lua prelude).
--
-- It writes exactly what hold.lua's reserve would for the common case: a new id (no part, no id key),
-- every line within its level's available stock, and, for a short line, nothing due to lazily expire.
-- Anything else (an id seen before, also earlier in the batch, a due hold on a short level, a level
-- that would break an invariant) is answered SLOW for that reservation, before anything of it is
-- changed: the caller runs it through hold.lua. With "stop" the batch ends there (the caller goes on
-- after it: list order), else the batch goes on (concurrent callers: the slow one comes after).
--
-- ARGV[1] key prefix (namespace + "inv:"), [2] event id base, [3] "1" to append to the journal,
-- [4] registry bucket width ms, [5] "1" to stop at the first SLOW, [6] number of reservations, then per
-- reservation: rid, now (epoch ms), L (canonical lines "sku,loc,q;..."), G (its SKUs "a,b"), expiresAt,
-- createdAt, cart, user, order, token, n, then n times sku, loc, q (canonical order; every number in
-- canonical digits).
--
-- Answer: {'DONE', results, {}, {}}; a result is {'CREATED', event, event, ...} (the events in the result
-- itself: fewer tables for Redis to convert), {'SHORT', {index, available}, {}} or {'SLOW'}. Events are journal entries' field lists, as hold.lua returns them, but each packed into
-- one string (fields and values joined by '\n'; Reply.events reads both forms): a smaller reply. The
-- journal entry is that string too, in one field 'e' (Codec.journalFields reads both forms): Redis appends
-- one field much cheaper than 6-9.
--
-- Costs (Redis CPU, measured with callgrind): string.format and tonumber (strtod) each cost ~0.5-1k
-- instructions, as much as a small command. So a level is kept as its stored strings too (S) and an
-- event's level snapshot is those strings joined, only changed fields formatted; an event is one
-- concatenation; a new hold is its packed field 'h' (holds.lua), with cart, user and order only when given.

local PX = ARGV[1]
local EVB = ARGV[2]
local JOURNAL = ARGV[3] == '1'
local WIDTH = tonumber(ARGV[4])
local STOP = ARGV[5] == '1'
local COUNT = tonumber(ARGV[6])
local call = redis.call
local fmt = string.format

-- a level: {oh, al, rs, dm, ss, ti, to, rp, mx, sl, rb, v, u} (numbers; mx, rb, u not parsed: 0) and S,
-- the same fields as stored (canonical digits), cached per script; false: none
local LV = {}
local DIRTY = {}
local SEEN = {}
local MIN_EX = {}
local DUE_SEEN = {}
local REG_DUE = {}
local BUCKETS = {}
local EVN = 0

local byte = string.byte

-- a level from its HMGET answer: only what a reserve computes with is parsed (tonumber is strtod); ti and
-- to, which it only checks for being negative, are -1 or 0 (a stored number is canonical: '-' first when
-- negative), sl 1 or 0; mx, rb, u are 0 (S holds them)
local function level(r)
  local S = {}
  for f = 1, 13 do
    S[f] = r[f] or '0'
  end
  local L = {tonumber(S[1]) or 0, tonumber(S[2]) or 0, tonumber(S[3]) or 0, tonumber(S[4]) or 0,
    tonumber(S[5]) or 0, byte(S[6]) == 45 and -1 or 0, byte(S[7]) == 45 and -1 or 0,
    S[8] == '0' and 0 or tonumber(S[8]) or 0, 0, S[10] == '1' and 1 or 0, 0, tonumber(S[12]) or 0, 0}
  L.S = S
  return L
end

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

-- an event, packed: fields and values joined by newlines (no field or value can hold one); csv: the
-- level's fields joined by commas; tail: '' or '\n' .. the extra fields and values joined by newlines
local function emit(out, NOWS, sku, loc, csv, typ, tail)
  EVN = EVN + 1
  local e = 'id\n' .. EVB .. fmt('%06x', EVN) .. '\nt\n' .. typ .. '\ns\n' .. sku .. '\nloc\n' .. loc .. '\nat\n'
    .. NOWS .. '\nl\n' .. csv .. tail
  if JOURNAL then
    call('XADD', PX .. '{' .. sku .. '}:journal', '*', 'e', e)
  end
  out[#out + 1] = e
end

local results = {}
local pos = 7
for _ = 1, COUNT do
  local rid, NOWS, Ls, Gs, exs, cas, cart, user, order, tk = ARGV[pos], ARGV[pos + 1], ARGV[pos + 2],
    ARGV[pos + 3], ARGV[pos + 4], ARGV[pos + 5], ARGV[pos + 6], ARGV[pos + 7], ARGV[pos + 8], ARGV[pos + 9]
  local n = ARGV[pos + 10] == '1' and 1 or tonumber(ARGV[pos + 10])
  local first = pos + 11
  pos = first + 3 * n
  local ex = tonumber(exs)

  -- a new id: no id key, no part (an id seen before, also earlier in this batch, takes the slow path)
  local slow = SEEN[rid]
  local skus
  if n == 1 then
    skus = {ARGV[first]}
  else
    skus = {}
    for sku in string.gmatch(Gs, '[^,]+') do
      skus[#skus + 1] = sku
    end
  end
  local bases = {}
  local keys = {PX .. 'id:{' .. rid .. '}'}
  for i, sku in ipairs(skus) do
    local base = PX .. '{' .. sku .. '}:'
    bases[i] = base
    keys[i + 1] = base .. 'hold:' .. rid
  end
  if not slow and call('EXISTS', unpack(keys)) > 0 then
    slow = true
  end
  if slow then
    results[#results + 1] = {'SLOW'}
    if STOP then
      break
    end
  else

  -- the levels, and the first short line
  local lvs = {}
  local lks = {}
  local short_i, short_a
  local short_skus
  local qn = {}
  for j = 1, n do
    local b = first + 3 * (j - 1)
    local q = tonumber(ARGV[b + 2])
    qn[j] = q
    local k = PX .. '{' .. ARGV[b] .. '}:lvl:' .. ARGV[b + 1]
    local L = LV[k]
    if L == nil then
      local r = call('HMGET', k, 'oh', 'al', 'rs', 'dm', 'ss', 'ti', 'to', 'rp', 'mx', 'sl', 'rb', 'v', 'u')
      if r[12] then
        L = level(r)
      else
        L = false
      end
      LV[k] = L
    end
    lvs[j] = L
    lks[j] = k
    local a = L and available(L) or 0
    if q > a then
      if not short_i then
        short_i = j
        short_a = a
        short_skus = {}
      end
      short_skus[ARGV[b]] = true
    end
  end

  if short_i then
    -- lazy expiry would look at the due holds of the short SKUs: when there are any, the slow path does it
    -- (a SKU's oldest due time is read once per call; holds made earlier in this call count too)
    for sku in pairs(short_skus) do
      local oldest = DUE_SEEN[sku]
      if oldest == nil then
        local d = call('ZRANGE', PX .. '{' .. sku .. '}:due', '0', '0', 'WITHSCORES')
        oldest = d[2] and tonumber(d[2]) or false
        DUE_SEEN[sku] = oldest
      end
      local NOW = tonumber(NOWS)
      if (oldest and oldest <= NOW) or (MIN_EX[sku] and MIN_EX[sku] <= NOW) then
        slow = true
      end
    end
    if not slow then
      results[#results + 1] = {'SHORT', {fmt('%d', short_i - 1), fmt('%d', short_a)}, {}}
    end
  else
    -- every level stays consistent (else the slow path refuses the change with its error)
    for j = 1, n do
      local L = lvs[j]
      local q = qn[j]
      if not (L[1] >= 0 and L[2] >= 0 and L[3] + q >= 0 and L[4] >= 0 and L[5] >= 0 and L[6] >= 0 and L[7] >= 0
          and L[2] + L[3] + q + L[4] <= L[1]) then
        slow = true
      end
    end
  end
  if slow then
    results[#results + 1] = {'SLOW'}
    if STOP then
      break
    end
  elseif not short_i then
    SEEN[rid] = true
    local events = {'CREATED'}
    for j = 1, n do
      local b = first + 3 * (j - 1)
      local sku, loc, qs = ARGV[b], ARGV[b + 1], ARGV[b + 2]
      local L = lvs[j]
      local k = lks[j]
      local was = available(L)
      local below_before = L[8] > 0 and was <= L[8]
      local v_before = L[12]
      local S = L.S
      L[3] = L[3] + qn[j]
      L[12] = L[12] + 1
      S[3] = fmt('%d', L[3])
      S[12] = fmt('%d', L[12])
      S[13] = NOWS
      if not DIRTY[k] then
        DIRTY[k] = true
        DIRTY[#DIRTY + 1] = k
      end
      local csv = table.concat(S, ',')
      emit(events, NOWS, sku, loc, csv, 'inventory.reserved', '\nr\n' .. rid .. '\nq\n' .. qs .. '\nx\n' .. exs)
      -- threshold crossings (LevelEvents.crossings)
      local now = available(L)
      if was > 0 and now == 0 then
        emit(events, NOWS, sku, loc, csv, 'inventory.out_of_stock', '')
      end
      if was == 0 and now > 0 and v_before > 0 then
        emit(events, NOWS, sku, loc, csv, 'inventory.back_in_stock', '')
      end
      if L[8] > 0 and now <= L[8] and not below_before then
        local sq = tonumber(S[9]) - L[1] - (tonumber(S[6]) or 0)
        if sq < 0 then
          sq = 0
        end
        emit(events, NOWS, sku, loc, csv, 'inventory.level.below_threshold', '\nrp\n' .. S[8] .. '\nsq\n'
          .. fmt('%d', sq))
      end
    end
    local bucket = BUCKETS[exs]
    if not bucket then
      bucket = fmt('%d', math.floor(ex / WIDTH) * WIDTH)
      BUCKETS[exs] = bucket
    end
    -- the part's packed field 'h' (holds.lua): L G ca ex up st p tk
    local hv = Ls .. '\n' .. Gs .. '\n' .. cas .. '\n' .. exs .. '\n' .. NOWS .. '\nA\nA\n' .. tk
    for i, sku in ipairs(skus) do
      local base = bases[i]
      if cart == '' and user == '' and order == '' then
        call('HSET', keys[i + 1], 'h', hv)
      else
        call('HSET', keys[i + 1], 'h', hv, 'c', cart, 'u', user, 'o', order)
      end
      call('ZADD', base .. 'due', exs, rid)
      if not MIN_EX[sku] or ex < MIN_EX[sku] then
        MIN_EX[sku] = ex
      end
      local m = bucket .. ':' .. sku
      if not REG_DUE[m] then
        REG_DUE[m] = true
        REG_DUE[#REG_DUE + 1] = bucket
        REG_DUE[#REG_DUE + 1] = m
      end
    end
    call('HSET', keys[1], 'l', Ls, 't', tk)
    results[#results + 1] = events
  end
  end
end

-- the levels' changed fields, then the sweeper's registry, a bounded number of arguments per command.
-- (No SADD to the SKU registry {:reg}:skus as hold.lua does: a hold is only made on an existing level, and
-- whatever creates a level - stock.lua, the tiered loader's HotWriter - registers its SKU, so the SADD
-- would change nothing and cost a command per call.)
for _, k in ipairs(DIRTY) do
  local S = LV[k].S
  call('HSET', k, 'rs', S[3], 'v', S[12], 'u', S[13])
end
local K_REG_DUE = PX .. '{:reg}:due'
for i = 1, #REG_DUE, 400 do
  call('ZADD', K_REG_DUE, 'NX', unpack(REG_DUE, i, math.min(i + 399, #REG_DUE)))
end
return {'DONE', results, {}, {}}
