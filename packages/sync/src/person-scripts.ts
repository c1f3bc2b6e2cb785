import { LuaScript } from './lua-script.js';

/* The person store's atomic steps. Each header lists KEYS, ARGV and the answer. */

// Folds a batch of events into person states atomically: a batch is all-or-nothing, and Redis acknowledges
// it as one unit (an AOF replays a script's effects as one transaction). Each event also goes on its person's
// console timeline here (accepted, duplicate or stale), so intake spends no extra round trip on it; the entry is
// the compact `e|<status>|<now>|<occurredAtMs>|<type>|<idempotency key>` (see person-timeline.ts), built from the
// event's own arguments.
// KEYS: sequence, pending, then (idempotency, person, timeline) per event.
// ARGV: now, ttl, timelineCap (0: no entries), timelineTtlMs, then (externalId, type, occurredAtMs,
// correlationId, dataJson, fullRecord, nanosOfMs, contentHash) per event.
// → per event: 0 duplicate, -1 stale, n > 0 the person's new revision; then n flags: 1 when the event made its
// person pending (they were not pending before), else 0. An idempotency key remembered (or met earlier in the
// batch) with another content hash refuses the whole batch before any write: an error reply
// "IDEMPOTENCY_CONFLICT <event number>".
export const INGEST = new LuaScript(`
local now = ARGV[1]
local ttl = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local n = (#KEYS - 2) / 3
local w = 8
local function note(tkey, b, status)
  if cap == 0 then return end
  local entry = 'e|' .. status .. '|' .. now .. '|' .. ARGV[b + 3] .. '|' .. ARGV[b + 2] .. '|' .. ARGV[b + 4]
  local len = redis.call('LPUSH', tkey, entry)
  if len > cap then redis.call('LTRIM', tkey, 0, cap - 1) end
  -- An accepted event's sync entry renews the expiry moments later (SyncRecorder): one write less per event.
  if len == 1 or status ~= 'accepted' then redis.call('PEXPIRE', tkey, ARGV[4]) end
end
local hashes = {}
for i = 1, n do
  local idem = KEYS[3 * i]
  local hash = ARGV[4 + (i - 1) * w + 8]
  local seen = hashes[idem] or redis.call('GET', idem)
  if seen and seen ~= hash then
    return redis.error_reply('IDEMPOTENCY_CONFLICT ' .. i)
  end
  hashes[idem] = hash
end
local out = {}
for i = 1, n do
  out[n + i] = 0
  local idem = KEYS[3 * i]
  local pkey = KEYS[3 * i + 1]
  local tkey = KEYS[3 * i + 2]
  local b = 4 + (i - 1) * w
  local ext, etype, occ, cid, data, full = ARGV[b + 1], ARGV[b + 2], tonumber(ARGV[b + 3]), ARGV[b + 4], ARGV[b + 5], ARGV[b + 6]
  local ns, hash = tonumber(ARGV[b + 7]), ARGV[b + 8]
  if not redis.call('SET', idem, hash, 'NX', 'EX', ttl) then
    out[i] = 0
    note(tkey, b, 'duplicate')
  else
    local seq = redis.call('INCR', KEYS[1])
    local cur = redis.call('HMGET', pkey, 'occ', 'rev', 'active', 'data', 'occns')
    local curOcc = tonumber(cur[1])
    local curNs = tonumber(cur[5]) or 0
    -- occurredAt at full precision: (epoch ms, nanoseconds below it). Equal: the later arrival wins.
    if curOcc ~= nil and (occ < curOcc or (occ == curOcc and ns < curNs)) then
      out[i] = -1
      note(tkey, b, 'stale')
    else
      local rev = (tonumber(cur[2]) or 0) + 1
      local active = cur[3] or '1'
      if etype == 'user.created' or etype == 'user.reactivated' then active = '1' end
      if etype == 'user.deactivated' then active = '0' end
      if full == '0' and cur[4] then data = cur[4] end
      redis.call('HSET', pkey, 'ext', ext, 'event', etype, 'occ', occ, 'occns', ns, 'seq', seq, 'cid', cid,
        'data', data, 'active', active, 'rev', rev, 'at', now)
      out[n + i] = redis.call('ZADD', KEYS[2], 'NX', now, ext)
      out[i] = rev
      note(tkey, b, 'accepted')
    end
  end
end
return out
`);

// KEYS: person, lock. ARGV: token, ttlMs. → false when locked by someone else, else the person's fields.
export const CLAIM = new LuaScript(`
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('HGETALL', KEYS[1])
`);

// KEYS: person, lock, pending, retiring, failed people.
// ARGV: token, handledRev, externalId, ttlMs, failed (0/1), retireAt.
// → -1 lock lost; 0 released (nothing newer); n > 0 a newer revision n arrived meanwhile (lock kept).
// A person left fully applied and inactive is scheduled for retirement (fields dropped at retireAt, see
// RETIRE_DUE); an active one is taken off the schedule. The failed-people set (the console's count) gains the
// person when a revision fails for good and loses them when one is applied.
export const COMPLETE = new LuaScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
local handled = tonumber(ARGV[2])
local applied = tonumber(redis.call('HGET', KEYS[1], 'appliedRev') or '0')
if handled > applied then
  redis.call('HSET', KEYS[1], 'appliedRev', handled)
  applied = handled
end
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'failedRev', handled)
  redis.call('SADD', KEYS[5], ARGV[3])
else
  redis.call('SREM', KEYS[5], ARGV[3])
end
local rev = tonumber(redis.call('HGET', KEYS[1], 'rev') or '0')
if rev > applied then
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  return rev
end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[3])
if redis.call('HGET', KEYS[1], 'active') == '0' then
  if ARGV[5] ~= '1' then redis.call('ZADD', KEYS[4], ARGV[6], ARGV[3]) end
else
  redis.call('ZREM', KEYS[4], ARGV[3])
end
return 0
`);

// KEYS: lock. ARGV: token. Releases without settling: the person stays pending.
export const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

// KEYS: lock. ARGV: token, ttlMs.
export const RENEW = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

// KEYS: pending, waiting set. ARGV: now, personKeyPrefix.
// Bumps each waiting person's revision so their next sync has work to do, and marks them pending.
export const REQUEST_RESYNC = new LuaScript(`
local members = redis.call('SMEMBERS', KEYS[2])
local out = {}
for _, ext in ipairs(members) do
  local pkey = ARGV[2] .. ext
  if redis.call('HEXISTS', pkey, 'data') == 1 then
    redis.call('HINCRBY', pkey, 'rev', 1)
    redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ext)
    out[#out + 1] = ext
  end
end
redis.call('DEL', KEYS[2])
return out
`);

// KEYS: person, pending. ARGV: now, externalId. A tombstone (no data) has nothing to re-apply.
export const BUMP = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], 'data') == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('ZADD', KEYS[2], 'NX', ARGV[1], ARGV[2])
return 1
`);

// Keys built inside the scripts below (person:<id>, lock:<id>) share the prefix, hence the hash slot, of the
// declared ones when the prefix is a cluster hash tag such as {dirsync}.
// KEYS: pending. ARGV: olderThanMs (epoch), limit, now, lockPrefix.
// People pending since before the cut-off whose lock is free; re-scored to now so the next sweep waits again.
export const TAKE_STALE = new LuaScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, ext in ipairs(ids) do
  if redis.call('EXISTS', ARGV[4] .. ext) == 0 then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ext)
    out[#out + 1] = ext
  end
end
return out
`);

// KEYS: contended. ARGV: now, limit, personPrefix, lockPrefix, recheckMs.
// Due re-checks of people another sync held: still pending with a free lock → returned to be triggered (the
// holder died); still locked → checked again later; applied → dropped.
export const TAKE_DUE_CONTENDED = new LuaScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, ext in ipairs(ids) do
  local p = redis.call('HMGET', ARGV[3] .. ext, 'rev', 'appliedRev')
  local pending = (tonumber(p[1]) or 0) > (tonumber(p[2]) or 0)
  if not pending then
    redis.call('ZREM', KEYS[1], ext)
  elseif redis.call('EXISTS', ARGV[4] .. ext) == 1 then
    redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[5]), ext)
  else
    redis.call('ZREM', KEYS[1], ext)
    out[#out + 1] = ext
  end
end
return out
`);

// KEYS: retiring, search docs, search terms. ARGV: now, limit, personPrefix, lockPrefix, targetPrefix.
// Deactivated people whose retention ran out: their state becomes a tombstone (no HR fields, no event id; the
// newest occurredAt, inactive, revisions stay, so an older replayed event stays stale), and the cached target
// copy and their entry in the console's people search go. Someone reactivated, pending or being synced meanwhile
// is left alone (their completion reschedules).
export const RETIRE_DUE = new LuaScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, ext in ipairs(ids) do
  local pkey = ARGV[3] .. ext
  local p = redis.call('HMGET', pkey, 'active', 'rev', 'appliedRev')
  local settled = p[1] == '0' and (tonumber(p[2]) or 0) <= (tonumber(p[3]) or 0)
  if redis.call('EXISTS', ARGV[4] .. ext) == 0 then
    redis.call('ZREM', KEYS[1], ext)
    if settled then
      redis.call('HDEL', pkey, 'data', 'cid')
      redis.call('DEL', ARGV[5] .. ext)
      local doc = redis.call('HGET', KEYS[2], ext)
      if doc then
        for _, term in ipairs(cjson.decode(doc).t or {}) do redis.call('ZREM', KEYS[3], term .. '\\0' .. ext) end
        redis.call('HDEL', KEYS[2], ext)
      end
      out[#out + 1] = ext
    end
  end
end
return out
`);
