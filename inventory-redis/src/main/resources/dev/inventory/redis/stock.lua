-- Stock commands (the rules of StockRules and of the in-memory store's transfers). Runs after common.lua.
--
-- ARGV[5] operation, ARGV[6] sku, ARGV[7] inbound event id ("" when none), ARGV[8] reference ("" when
-- none), ARGV[9] "1" to register the SKU in the registry (single-node mode), then the operation's own
-- arguments. An event id is applied at most once per SKU (K_SEEN); a refused command does not record
-- it, so a redelivery can still apply.

local op = ARGV[5]
local sku = ARGV[6]
local eid = ARGV[7]
local ref = ARGV[8]

local function reply(code, data)
  flush()
  return {code, data or {}, EVENTS, REPORT}
end

local function rejected(reason, message)
  return {'REJECTED', {reason, message}, {}, {}}
end

local function opt(field, value)
  if value == '' then
    return {}
  end
  return {field, value}
end

local function extra(base, more)
  for i = 1, #more do
    base[#base + 1] = more[i]
  end
  return base
end

if eid ~= '' and redis.call('SISMEMBER', K_SEEN(sku), eid) == 1 then
  return {'DUPLICATE', {eid}, {}, {}}
end

local primary
local delta = 0

if op == 'receive' or op == 'adjust' or op == 'count' or op == 'damage' or op == 'thresholds' or op == 'flags' then
  local loc = ARGV[10]
  local cur = lv_or_empty(sku, loc)
  local where = sku .. ' at ' .. loc
  local committed = cur.al + cur.rs + cur.dm
  local B, A
  if op == 'receive' then
    local q = tonumber(ARGV[11])
    if cur.rb == 1 then
      return rejected('RECEIVING_BLOCKED', 'receiving is blocked for ' .. where)
    end
    B, A = change(sku, loc, function(L) L.oh = L.oh + q end)
    delta = q
    ledger(A, 'RECEIPT', q, eid, ref)
    emit(A, 'inventory.restocked', extra({'q', I(q)}, opt('ref', ref)))
  elseif op == 'adjust' then
    local d = tonumber(ARGV[11])
    local reason = ARGV[12]
    local onhand = cur.oh + d
    if onhand < committed then
      return rejected('BELOW_COMMITTED', 'adjusting ' .. where .. ' by ' .. I(d) .. ' would leave onHand '
          .. I(onhand) .. ' below allocated + reserved + damaged ' .. I(committed))
    end
    B, A = change(sku, loc, function(L) L.oh = onhand end)
    delta = d
    local lref = ref
    if lref == '' then
      lref = reason
    end
    ledger(A, 'ADJUSTMENT', d, eid, lref)
    emit(A, 'inventory.adjusted', extra({'d', I(d), 'why', reason}, opt('ref', ref)))
  elseif op == 'count' then
    local counted = tonumber(ARGV[11])
    local at = tonumber(ARGV[12])
    if at > NOW then
      at = NOW
    end
    -- the movements recorded after the count was taken, newest first until one is not after it
    local moved = 0
    local key = K_LEDGER(sku, loc)
    local n = redis.call('LLEN', key)
    local stop = false
    local hi = n - 1
    while hi >= 0 and not stop do
      local lo = hi - 63
      if lo < 0 then
        lo = 0
      end
      local chunk = redis.call('LRANGE', key, I(lo), I(hi))
      for i = #chunk, 1, -1 do
        local _, d, _, _, t = string.match(chunk[i], '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|')
        if tonumber(t) > at then
          moved = moved + tonumber(d)
        else
          stop = true
          break
        end
      end
      hi = lo - 1
    end
    local onhand = counted + moved
    if onhand < committed then
      return rejected('BELOW_COMMITTED', 'count of ' .. I(counted) .. ' for ' .. where .. ' (plus ' .. I(moved)
          .. ' moved since) is below allocated + reserved + damaged ' .. I(committed)
          .. '; resolve the commitments first')
    end
    delta = onhand - cur.oh
    B, A = change(sku, loc, function(L) L.oh = onhand end)
    ledger(A, 'CYCLE_COUNT', delta, eid, ref)
    emit(A, 'inventory.adjusted', extra({'d', I(delta), 'why', 'cycle-count'}, opt('ref', ref)))
  elseif op == 'damage' then
    local q = tonumber(ARGV[11])
    if unpromised(cur) < q then
      local u = unpromised(cur)
      if u < 0 then
        u = 0
      end
      return rejected('INSUFFICIENT_STOCK', 'only ' .. I(u) .. ' unpromised units of ' .. where
          .. ', asked to mark ' .. I(q) .. ' damaged')
    end
    B, A = change(sku, loc, function(L) L.dm = L.dm + q end)
    ledger(A, 'DAMAGE', 0, eid, ref)
    emit(A, 'inventory.damaged', extra({'q', I(q)}, opt('ref', ref)))
  elseif op == 'thresholds' then
    local rp, ss, mx = tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
    B, A = change(sku, loc, function(L) L.rp = rp; L.ss = ss; L.mx = mx end)
    ledger(A, 'SETTINGS', 0, eid, ref)
    emit(A, 'inventory.adjusted', extra({'d', '0', 'why', 'thresholds'}, opt('ref', ref)))
  else
    local sl, rb = tonumber(ARGV[11]), tonumber(ARGV[12])
    B, A = change(sku, loc, function(L) L.sl = sl; L.rb = rb end)
    ledger(A, 'SETTINGS', 0, eid, ref)
    emit(A, 'inventory.adjusted', extra({'d', '0', 'why', 'flags'}, opt('ref', ref)))
  end
  crossings(B, A)
  primary = A
elseif op == 'tout' or op == 'tin' then
  local from, to, q = ARGV[10], ARGV[11], tonumber(ARGV[12])
  local src = lv_or_empty(sku, from)
  local dst = lv_or_empty(sku, to)
  local out = op == 'tout'
  if out then
    if unpromised(src) < q then
      local u = unpromised(src)
      if u < 0 then
        u = 0
      end
      return rejected('INSUFFICIENT_STOCK', 'only ' .. I(u) .. ' unpromised units of ' .. sku .. ' at ' .. from
          .. ', asked to ship ' .. I(q))
    end
  else
    if dst.rb == 1 then
      return rejected('RECEIVING_BLOCKED', 'receiving is blocked for ' .. sku .. ' at ' .. to)
    end
    if dst.ti < q or src.to < q then
      local m = dst.ti
      if src.to < m then
        m = src.to
      end
      return rejected('NOTHING_IN_TRANSIT', 'only ' .. I(m) .. ' units of ' .. sku .. ' in transit from ' .. from
          .. ' to ' .. to .. ', asked to receive ' .. I(q))
    end
  end
  local SB, SA, DB, DA
  if out then
    SB, SA = change(sku, from, function(L) L.oh = L.oh - q; L.to = L.to + q end)
    DB, DA = change(sku, to, function(L) L.ti = L.ti + q end)
  else
    SB, SA = change(sku, from, function(L) L.to = L.to - q end)
    DB, DA = change(sku, to, function(L) L.oh = L.oh + q; L.ti = L.ti - q end)
  end
  local kind = out and 'TRANSFER_OUT' or 'TRANSFER_IN'
  ledger(SA, kind, out and -q or 0, eid, ref)
  ledger(DA, kind, out and 0 or q, eid, ref)
  local typ = out and 'inventory.transfer.shipped' or 'inventory.transfer.received'
  for _, pair in ipairs({{SB, SA}, {DB, DA}}) do
    emit(pair[2], typ, extra({'f', from, 'to', to, 'q', I(q)}, opt('ref', ref)))
    crossings(pair[1], pair[2])
  end
  if out then
    primary = SA
    delta = -q
  else
    primary = DA
    delta = q
  end
else
  return redis.error_reply('inventory: unknown stock operation ' .. tostring(op))
end

if eid ~= '' then
  w('SADD', K_SEEN(sku), eid)
end
if ARGV[9] == '1' then
  w('SADD', K_REG_SKUS, sku)
end
return reply('APPLIED', {primary.loc, level_csv(primary), I(delta)})
