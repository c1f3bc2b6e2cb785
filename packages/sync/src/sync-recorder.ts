import type { Logger } from '@dirsync/core';
import type { TimelineEntry } from './console-view.js';
import type { SyncKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import type { PersonState } from './person-state.js';
import type { PersonSyncResult } from './person-sync-result.js';
import { oneLineMessage, type TimelineSettings } from './person-timeline.js';
import { searchDoc } from './search-terms.js';
import type { SyncTrace } from './sync-trace.js';

type RedisLike = Parameters<LuaScript['run']>[0];

/** Outcome counters live a little over a day: the overview shows the last 24 hours. */
export const STATS_TTL_SECONDS = 25 * 3600;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** The counter of 429 answers, next to the outcomes. */
export const RATE_LIMITED_FIELD = 'r429';

// Everything the console learns from one sync of one person, in one round trip: the timeline entries (trimmed
// to the cap, expiring with the retention), the outcome counters of this minute and hour, and the person's
// entry in the people search (old terms out, new terms in).
// KEYS: timeline, minute stats, hour stats, search docs, search terms.
// ARGV: cap, timelineTtlMs, statsTtlSeconds, externalId, docJson ('' leaves the search alone), then
// nEntries, entries…, nCounts, (field, increment)…, nTerms, terms….
const RECORD_SYNC = new LuaScript(`
local i = 6
local n = tonumber(ARGV[i])
for k = 1, n do redis.call('LPUSH', KEYS[1], ARGV[i + k]) end
if n > 0 then
  redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[1]) - 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
i = i + n + 1
local c = tonumber(ARGV[i])
for k = 1, c do
  redis.call('HINCRBY', KEYS[2], ARGV[i + 2 * k - 1], ARGV[i + 2 * k])
  redis.call('HINCRBY', KEYS[3], ARGV[i + 2 * k - 1], ARGV[i + 2 * k])
end
if c > 0 then
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  redis.call('EXPIRE', KEYS[3], ARGV[3])
end
i = i + 2 * c + 1
local ext, doc = ARGV[4], ARGV[5]
if doc == '' then return 1 end
local wanted = {}
for k = 1, tonumber(ARGV[i]) do wanted[ARGV[i + k]] = true end
local old = redis.call('HGET', KEYS[4], ext)
if old then
  for _, term in ipairs(cjson.decode(old).t or {}) do
    if not wanted[term] then redis.call('ZREM', KEYS[5], term .. '\\0' .. ext) end
  end
end
for term in pairs(wanted) do redis.call('ZADD', KEYS[5], 0, term .. '\\0' .. ext) end
redis.call('HSET', KEYS[4], ext, doc)
return 1
`);

/** Where a sync ran: its job, its report, which attempt. */
export interface SyncRecordContext {
  jobId: string;
  reportId?: string | undefined;
  /** 1-based attempt of the job. */
  attempt?: number | undefined;
  /** The job's last attempt: a retryable failure now fails for good. */
  finalAttempt: boolean;
}

/** A sync's timeline entries and the outcome counters it adds. */
export function syncEntries(
  state: PersonState,
  result: PersonSyncResult,
  trace: SyncTrace,
  context: SyncRecordContext,
  at: number,
): { entries: TimelineEntry[]; counts: Array<[string, number]> } {
  const sync: Extract<TimelineEntry, { kind: 'sync' }> = {
    kind: 'sync',
    at,
    outcome: result.kind === 'synced' ? result.outcome : 'failed',
    jobId: context.jobId,
    requests: trace.requests,
    discrepancies: result.discrepancies.map((d) => ({
      type: d.type,
      ...(d.field === undefined ? {} : { field: d.field }),
      detail: oneLineMessage(d.detail),
    })),
  };
  if (state.correlationId) sync.correlationId = state.correlationId;
  if (context.reportId) sync.reportId = context.reportId;
  const counts: Array<[string, number]> = [];
  if (trace.rateLimited > 0) counts.push([RATE_LIMITED_FIELD, trace.rateLimited]);
  if (result.kind === 'synced') return { entries: [sync], counts: [[result.outcome, 1], ...counts] };
  // A quarantine stops everyone without charging attempts; a retryable failure fails for good on the last attempt.
  const final = result.quarantine ? false : !result.retryable || context.finalAttempt;
  const failed: TimelineEntry = {
    kind: 'failed',
    at,
    jobId: context.jobId,
    code: result.error.code,
    message: oneLineMessage(result.error.message),
    ...(context.attempt === undefined ? {} : { attempts: context.attempt }),
    final,
  };
  return { entries: [sync, failed], counts: final ? [['failed', 1], ...counts] : counts };
}

/**
 * Writes what the console learns from each sync of a person (see RECORD_SYNC). A failure to record is logged and
 * never fails the sync.
 */
export class SyncRecorder {
  private readonly options: {
    redis: RedisLike;
    keys: SyncKeys;
    timeline: TimelineSettings;
    now?: (() => number) | undefined;
    logger?: Logger | undefined;
  };

  constructor(options: SyncRecorder['options']) {
    this.options = options;
  }

  async record(
    state: PersonState,
    result: PersonSyncResult,
    trace: SyncTrace,
    context: SyncRecordContext,
  ): Promise<void> {
    const { redis, keys, timeline, logger } = this.options;
    const at = (this.options.now ?? Date.now)();
    const { externalId } = state;
    const { entries, counts } = syncEntries(state, result, trace, context, at);
    const doc = trace.mapped ? searchDoc(externalId, trace.mapped) : undefined;
    const args: Array<string | number> = [timeline.cap, timeline.retentionMs, STATS_TTL_SECONDS, externalId];
    args.push(doc ? JSON.stringify(doc) : '', entries.length, ...entries.map((e) => JSON.stringify(e)));
    args.push(counts.length, ...counts.flat(), doc?.t.length ?? 0, ...(doc?.t ?? []));
    const statsKeys = [
      keys.statsMinute(Math.floor(at / MINUTE_MS)),
      keys.statsHour(Math.floor(at / HOUR_MS)),
    ];
    await RECORD_SYNC.run(
      redis,
      [keys.timeline(externalId), ...statsKeys, keys.searchDocs, keys.searchTerms],
      args,
    ).catch((error: unknown) =>
      logger?.warn('could not record the sync for the console', { externalId, err: error }),
    );
  }
}
