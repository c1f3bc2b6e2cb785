import { randomUUID } from 'node:crypto';
import { deriveId, type EventType, type HrRecord } from '@dirsync/contracts';
import type { Redis } from 'ioredis';
import type { SyncKeys } from './keys.js';
import { LuaScript } from './lua-script.js';

/** Idempotency keys are remembered this long (contract: 7 days). */
export const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;

/** One accepted event, ready to be folded into its person's state. */
export interface IncomingEvent {
  idempotencyKey: string;
  type: EventType;
  occurredAtMs: number;
  data: HrRecord;
}

/** What became of each event of an ingest call, in order. */
export type IngestStatus =
  | { status: 'applied'; externalId: string; rev: number }
  | { status: 'stale'; externalId: string }
  | { status: 'duplicate'; externalId: string };

/** A person's newest HR state: the newest event wins, with `active` carried across record updates. */
export interface PersonState {
  externalId: string;
  /** Type of the newest event. */
  event: EventType;
  occurredAtMs: number;
  /** The full current HR record (for a bare deactivation, the previous full record is kept). */
  data: HrRecord;
  /** Whether HR wants this person active. */
  active: boolean;
  /** The newest event's idempotency key: the correlation id of everything it causes. */
  correlationId: string;
  /** Bumped on every change (and when a re-sync is requested). */
  rev: number;
  /** The newest revision already synced (or failed for good). */
  appliedRev: number;
  /** The newest revision that failed for good, if any. */
  failedRev: number;
  /** When the newest change arrived (epoch ms): a person still receiving changes may be left to settle. */
  receivedAtMs: number;
}

// Folds a batch of events into person states atomically: a batch is all-or-nothing, and Redis acknowledges
// it as one unit (an AOF replays a script's effects as one transaction).
// KEYS: sequence, pending, then (idempotency, person) per event.
// ARGV: now, ttl, then (externalId, type, occurredAtMs, correlationId, dataJson, fullRecord) per event.
const INGEST = new LuaScript(`
local now = ARGV[1]
local ttl = tonumber(ARGV[2])
local n = (#KEYS - 2) / 2
local out = {}
for i = 1, n do
  local idem = KEYS[1 + 2 * i]
  local pkey = KEYS[2 + 2 * i]
  local b = 2 + (i - 1) * 6
  local ext, etype, occ, cid, data, full = ARGV[b + 1], ARGV[b + 2], tonumber(ARGV[b + 3]), ARGV[b + 4], ARGV[b + 5], ARGV[b + 6]
  if not redis.call('SET', idem, '1', 'NX', 'EX', ttl) then
    out[i] = 0
  else
    local seq = redis.call('INCR', KEYS[1])
    local cur = redis.call('HMGET', pkey, 'occ', 'rev', 'active', 'data')
    local curOcc = tonumber(cur[1])
    -- Equal occurredAt: the later arrival wins (its sequence is higher).
    if curOcc ~= nil and occ < curOcc then
      out[i] = -1
    else
      local rev = (tonumber(cur[2]) or 0) + 1
      local active = cur[3] or '1'
      if etype == 'user.created' or etype == 'user.reactivated' then active = '1' end
      if etype == 'user.deactivated' then active = '0' end
      if full == '0' and cur[4] then data = cur[4] end
      redis.call('HSET', pkey, 'ext', ext, 'event', etype, 'occ', occ, 'seq', seq, 'cid', cid,
        'data', data, 'active', active, 'rev', rev, 'at', now)
      redis.call('ZADD', KEYS[2], 'NX', now, ext)
      out[i] = rev
    end
  end
end
return out
`);

// KEYS: person, lock. ARGV: token, ttlMs. → false when locked by someone else, else the person's fields.
const CLAIM = new LuaScript(`
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('HGETALL', KEYS[1])
`);

// KEYS: person, lock, pending. ARGV: token, handledRev, externalId, ttlMs, failed (0/1).
// → -1 lock lost; 0 settled (lock released); n > 0 a newer revision n arrived meanwhile (lock kept).
const COMPLETE = new LuaScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
local handled = tonumber(ARGV[2])
local applied = tonumber(redis.call('HGET', KEYS[1], 'appliedRev') or '0')
if handled > applied then
  redis.call('HSET', KEYS[1], 'appliedRev', handled)
  applied = handled
end
if ARGV[5] == '1' then redis.call('HSET', KEYS[1], 'failedRev', handled) end
local rev = tonumber(redis.call('HGET', KEYS[1], 'rev') or '0')
if rev > applied then
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  return rev
end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[3])
return 0
`);

// KEYS: lock. ARGV: token. Releases without settling: the person stays pending.
const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

// KEYS: lock. ARGV: token, ttlMs.
const RENEW = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

// KEYS: pending, waiting set. ARGV: now, personKeyPrefix.
// Bumps each waiting person's revision so their next sync has work to do, and marks them pending.
const REQUEST_RESYNC = new LuaScript(`
local members = redis.call('SMEMBERS', KEYS[2])
local out = {}
for _, ext in ipairs(members) do
  local pkey = ARGV[2] .. ext
  if redis.call('EXISTS', pkey) == 1 then
    redis.call('HINCRBY', pkey, 'rev', 1)
    redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ext)
    out[#out + 1] = ext
  end
end
redis.call('DEL', KEYS[2])
return out
`);

// KEYS: person, pending. ARGV: now, externalId.
const BUMP = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('ZADD', KEYS[2], 'NX', ARGV[1], ARGV[2])
return 1
`);

// Keys built inside the scripts below (person:<id>, lock:<id>) share the prefix, hence the hash slot, of the
// declared ones when the prefix is a cluster hash tag such as {dirsync}.
// KEYS: pending. ARGV: olderThanMs (epoch), limit, now, lockPrefix.
// People pending since before the cut-off whose lock is free; re-scored to now so the next sweep waits again.
const TAKE_STALE = new LuaScript(`
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
// holder died); still locked → checked again later; settled → dropped.
const TAKE_DUE_CONTENDED = new LuaScript(`
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

function parseState(flat: string[]): PersonState | undefined {
  if (flat.length === 0) return undefined;
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i] as string] = flat[i + 1] as string;
  if (!h.ext || !h.data) return undefined;
  return {
    externalId: h.ext,
    event: h.event as EventType,
    occurredAtMs: Number(h.occ),
    data: JSON.parse(h.data) as HrRecord,
    active: h.active !== '0',
    correlationId: h.cid ?? '',
    rev: Number(h.rev ?? 0),
    appliedRev: Number(h.appliedRev ?? 0),
    failedRev: Number(h.failedRev ?? 0),
    receivedAtMs: Number(h.at ?? 0),
  };
}

/** Whether a record carries more than its id (a bare `user.deactivated` does not). */
function isFullRecord(data: HrRecord): boolean {
  return Object.keys(data).some((k) => k !== 'externalId');
}

export interface PersonLock {
  readonly externalId: string;
  readonly token: string;
}

/**
 * Each person's newest HR state in Redis. Jobs are only triggers: whatever job runs for a person reads the newest
 * state here, so events can be coalesced, retried and re-delivered without ever being lost or applied out of order.
 */
export class PersonStore {
  readonly redis: Redis;
  readonly keys: SyncKeys;
  readonly lockTtlMs: number;

  constructor(options: { redis: Redis; keys: SyncKeys; lockTtlMs?: number }) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
  }

  /**
   * Records a batch of events atomically. A key seen before is a duplicate; an event older (by `occurredAt`) than
   * the person's newest changes nothing (`stale`); otherwise it becomes the person's state (`applied`).
   */
  async ingest(events: readonly IncomingEvent[], now = Date.now()): Promise<IngestStatus[]> {
    if (events.length === 0) return [];
    const keys: string[] = [this.keys.sequence, this.keys.pending];
    const args: (string | number)[] = [now, IDEMPOTENCY_TTL_SECONDS];
    for (const e of events) {
      keys.push(this.keys.idempotency(deriveId('k', e.idempotencyKey)), this.keys.person(e.data.externalId));
      args.push(
        e.data.externalId,
        e.type,
        e.occurredAtMs,
        e.idempotencyKey,
        JSON.stringify(e.data),
        isFullRecord(e.data) ? '1' : '0',
      );
    }
    const codes = await INGEST.run<number[]>(this.redis, keys, args);
    return events.map((e, i) => {
      const code = Number(codes[i]);
      const externalId = e.data.externalId;
      if (code === 0) return { status: 'duplicate', externalId };
      if (code < 0) return { status: 'stale', externalId };
      return { status: 'applied', externalId, rev: code };
    });
  }

  /** Which of these idempotency keys were seen before (a read-only pre-check; `ingest` decides atomically). */
  async seen(idempotencyKeys: readonly string[]): Promise<boolean[]> {
    if (idempotencyKeys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const k of idempotencyKeys) pipeline.exists(this.keys.idempotency(deriveId('k', k)));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, v]) => Number(v) === 1);
  }

  async get(externalId: string): Promise<PersonState | undefined> {
    return parseState(await this.redis.hgetall(this.keys.person(externalId)).then(flatten));
  }

  /** Takes the person's lock; `undefined` when another sync holds it. */
  async claim(externalId: string): Promise<{ lock: PersonLock; state: PersonState | undefined } | undefined> {
    const token = randomUUID();
    const flat = await CLAIM.run<string[] | null>(
      this.redis,
      [this.keys.person(externalId), this.keys.lock(externalId)],
      [token, this.lockTtlMs],
    );
    if (flat === null) return undefined;
    return { lock: { externalId, token }, state: parseState(flat) };
  }

  /**
   * Marks `handledRev` applied (or failed for good) and releases the lock, unless a newer revision arrived while
   * syncing: then the lock is kept and the newer revision is returned, to be applied right away.
   */
  async complete(
    lock: PersonLock,
    handledRev: number,
    options: { failed?: boolean } = {},
  ): Promise<{ status: 'settled' } | { status: 'newer'; rev: number } | { status: 'lock_lost' }> {
    const code = await COMPLETE.run<number>(
      this.redis,
      [this.keys.person(lock.externalId), this.keys.lock(lock.externalId), this.keys.pending],
      [lock.token, handledRev, lock.externalId, this.lockTtlMs, options.failed ? '1' : '0'],
    );
    if (code < 0) return { status: 'lock_lost' };
    if (code === 0) return { status: 'settled' };
    return { status: 'newer', rev: code };
  }

  /** Releases the lock without settling; the person stays pending for the next attempt. */
  async release(lock: PersonLock): Promise<void> {
    await RELEASE.run(this.redis, [this.keys.lock(lock.externalId)], [lock.token]);
  }

  /** Extends the lock; false when it was lost. */
  async renew(lock: PersonLock): Promise<boolean> {
    return (
      (await RENEW.run<number>(
        this.redis,
        [this.keys.lock(lock.externalId)],
        [lock.token, this.lockTtlMs],
      )) === 1
    );
  }

  /** Remembers that `externalId` waits for `managerExternalId` to exist in the target. */
  async waitForManager(externalId: string, managerExternalId: string): Promise<void> {
    const key = this.keys.waitingForManager(managerExternalId);
    await this.redis
      .multi()
      .sadd(key, externalId)
      .expire(key, 30 * 86_400)
      .exec();
  }

  /** The manager now exists: bumps each waiting person so a sync fills in their manager; returns them. */
  async releaseManagerWaiters(managerExternalId: string, now = Date.now()): Promise<string[]> {
    return REQUEST_RESYNC.run<string[]>(
      this.redis,
      [this.keys.pending, this.keys.waitingForManager(managerExternalId)],
      [now, this.keys.person('')],
    );
  }

  /** Bumps one person's revision so the next sync re-applies their state (a dashboard retry, a reconcile fix). */
  async requestResync(externalId: string, now = Date.now()): Promise<boolean> {
    const bumped = await BUMP.run<number>(
      this.redis,
      [this.keys.person(externalId), this.keys.pending],
      [now, externalId],
    );
    return bumped === 1;
  }

  /** People pending since before `olderThanMs` and not being synced; re-scored so they are taken once a sweep. */
  async takeStalePending(olderThanMs: number, limit: number, now = Date.now()): Promise<string[]> {
    return TAKE_STALE.run<string[]>(
      this.redis,
      [this.keys.pending],
      [olderThanMs, limit, now, this.keys.lock('')],
    );
  }

  /**
   * People another sync held when a batch reached them. The holder applies their newest state before letting go;
   * should it have died instead, its lock expires and the sweeper finds them here after one lock lifetime.
   */
  async markContended(externalIds: readonly string[], now = Date.now()): Promise<void> {
    if (externalIds.length === 0) return;
    const due = now + this.lockTtlMs + 1000;
    await this.redis.zadd(this.keys.contended, ...externalIds.flatMap((id) => [due, id]));
  }

  /** Contended people whose holder is gone and who still wait for a sync. */
  async takeDueContended(limit: number, now = Date.now()): Promise<string[]> {
    return TAKE_DUE_CONTENDED.run<string[]>(
      this.redis,
      [this.keys.contended],
      [now, limit, this.keys.person(''), this.keys.lock(''), this.lockTtlMs],
    );
  }

  /** Since when the person has had a change waiting (epoch ms), if they have one. */
  async pendingSince(externalId: string): Promise<number | undefined> {
    const score = await this.redis.zscore(this.keys.pending, externalId);
    return score === null ? undefined : Number(score);
  }

  async pendingCount(): Promise<number> {
    return this.redis.zcard(this.keys.pending);
  }
}

function flatten(h: Record<string, string>): string[] {
  return Object.entries(h).flat();
}
