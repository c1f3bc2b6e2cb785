import { LuaScript } from './lua-script.js';

/*
 * The schedule's atomic steps. A person's hash holds, per effective time `<at>` (epoch ms): `<at>` the change set
 * (JSON, opaque here), `<at>:occ` its occurredAt, `<at>:stage` (prehire | final), and while claimed `<at>:tok` the
 * claim's token and `<at>:prep` the synthetic event prepared for it. The due ZSET's member is `<at>|<externalId>`.
 * Keys built inside a script share the prefix, hence the hash slot, of the declared ones (a `{dirsync}` prefix).
 */

// KEYS: idempotency (scoped to the person, as for present events), person schedule, due, person timeline.
// ARGV: ttl, at, occurredAtMs, changeJson, dueAt, stage, member, contentHash, timelineTail, timelineCap,
// timelineTtlMs (the console entry is `e|<status>|` .. timelineTail, see person-timeline.ts; empty: no entry).
// → 0 duplicate key (same content); -2 the key was used for other content (a conflict: nothing stored); -1 older
// than the change set already scheduled for that time (changes nothing); 1 stored.
// Equal occurredAt: the later arrival wins, as for present events.
export const SCHEDULE = new LuaScript(`
local function note(status)
  if ARGV[9] == '' then return end
  local cap = tonumber(ARGV[10])
  if redis.call('LPUSH', KEYS[4], 'e|' .. status .. '|' .. ARGV[9]) > cap then redis.call('LTRIM', KEYS[4], 0, cap - 1) end
  redis.call('PEXPIRE', KEYS[4], ARGV[11])
end
local seen = redis.call('GET', KEYS[1])
if seen then
  if seen == ARGV[8] or seen == '1' then
    note('duplicate')
    return 0
  end
  return -2
end
redis.call('SET', KEYS[1], ARGV[8], 'EX', tonumber(ARGV[1]))
local at = ARGV[2]
local cur = tonumber(redis.call('HGET', KEYS[2], at .. ':occ'))
if cur ~= nil and tonumber(ARGV[3]) < cur then
  note('stale')
  return -1
end
redis.call('HSET', KEYS[2], at, ARGV[4], at .. ':occ', ARGV[3], at .. ':stage', ARGV[6])
-- A replaced change set starts afresh: a claim on the old one can no longer commit.
redis.call('HDEL', KEYS[2], at .. ':tok', at .. ':prep')
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[7])
note('scheduled')
return 1
`);

// KEYS: due. ARGV: now, limit, leaseUntil, token, schedulePrefix.
// Claims due stages (re-scored to the lease's end, so a crashed claimer's stage falls due again). A person's
// change is held back while an earlier one of theirs is due or claimed: each person's changes apply in effective
// order. → { externalId, at, changeJson, occ, stage, prepared|false } per claimed stage.
export const CLAIM_DUE = new LuaScript(`
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
-- Looks past held-back stages (up to four times the limit) so they cannot starve the rest.
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit * 5)
local out = {}
for _, m in ipairs(members) do
  if #out >= limit then break end
  local sep = string.find(m, '|', 1, true)
  local at = string.sub(m, 1, sep - 1)
  local ext = string.sub(m, sep + 1)
  local hkey = ARGV[5] .. ext
  local change = redis.call('HGET', hkey, at)
  if not change then
    redis.call('ZREM', KEYS[1], m)
  else
    local blocked = false
    for _, f in ipairs(redis.call('HKEYS', hkey)) do
      local n = tonumber(f)
      if n ~= nil and n < tonumber(at) then
        local score = tonumber(redis.call('ZSCORE', KEYS[1], f .. '|' .. ext))
        if redis.call('HEXISTS', hkey, f .. ':tok') == 1 or (score ~= nil and score <= now) then
          blocked = true
          break
        end
      end
    end
    if not blocked then
      redis.call('ZADD', KEYS[1], ARGV[3], m)
      redis.call('HSET', hkey, at .. ':tok', ARGV[4])
      local got = redis.call('HMGET', hkey, at .. ':occ', at .. ':stage', at .. ':prep')
      out[#out + 1] = { ext, at, change, got[1], got[2], got[3] or false }
    end
  end
end
return out
`);

// KEYS: person schedule. ARGV: at, token, eventJson.
// Keeps the first prepared synthetic event of a claimed stage, so whoever re-applies it after a crash sends the
// very same event (its idempotency key then makes the second ingest a duplicate). → the event to apply, or false
// when the claim was lost.
export const PREPARE = new LuaScript(`
local at = ARGV[1]
if redis.call('HGET', KEYS[1], at .. ':tok') ~= ARGV[2] then return false end
local prep = redis.call('HGET', KEYS[1], at .. ':prep')
if prep then return prep end
redis.call('HSET', KEYS[1], at .. ':prep', ARGV[3])
return ARGV[3]
`);

// KEYS: person schedule, due. ARGV: at, token, member, nextDueAt (empty: the change set is done).
// → 1 committed; 0 the claim was lost (replaced by a correction, or re-claimed after the lease ran out).
export const COMMIT = new LuaScript(`
local at = ARGV[1]
if redis.call('HGET', KEYS[1], at .. ':tok') ~= ARGV[2] then return 0 end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], at .. ':stage', 'final')
  redis.call('HDEL', KEYS[1], at .. ':tok', at .. ':prep')
  redis.call('ZADD', KEYS[2], tonumber(ARGV[4]), ARGV[3])
else
  redis.call('HDEL', KEYS[1], at, at .. ':occ', at .. ':stage', at .. ':tok', at .. ':prep')
  redis.call('ZREM', KEYS[2], ARGV[3])
end
return 1
`);
