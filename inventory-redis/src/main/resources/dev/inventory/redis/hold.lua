-- Reservation operations. Runs after common.lua and holds.lua.

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
  -- rid, mode (full | anchor | follower | check), token (for anchor and check: the generation of the
  -- id's claim, which a fence of that generation or a later one stops; the attempt's for follower), L, G, gi, expiresAt, createdAt, cart, user, order,
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
      elseif h.st == 'Z' and (tonumber(a.tk) or 0) <= (tonumber(h.tk) or 0) then
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
  if ARGV[7] == '' and FINISHED[step] then
    -- single node: the id key is here too and expires with the finished parts (on a cluster the caller
    -- sets it in the id key's own slot)
    w('PEXPIRE', K_ID(rid), FINISHED_TTL_MS)
  end
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
  -- rid, anchor SKU of the lines the id key names, that claim's generation: before an id is taken over
  -- by a reserve with other lines, blocks every attempt of that generation or older unless the hold
  -- exists (a fence only grows: an older attempt must not pass a later takeover's fence)
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
  local gen = tonumber(ARGV[8]) or 0
  if h and h.st == 'Z' and (tonumber(h.tk) or 0) > gen then
    gen = tonumber(h.tk)
  end
  part_put(sku, rid, {L = '', G = sku, c = '', u = '', o = '', ca = NOW, ex = NOW, up = NOW, st = 'Z', p = 'Z',
    tk = I(gen), sh = ''})
  return reply('FENCED')
end

return redis.error_reply('inventory: unknown hold operation ' .. tostring(op))
