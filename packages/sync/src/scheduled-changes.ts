import { randomUUID } from 'node:crypto';
import { deriveId, hashJson } from '@dirsync/contracts';
import type { Cluster, Redis } from 'ioredis';
import {
  type ChangeSet,
  type ChangeStage,
  describeChange,
  diffChangeSet,
  overlayChangeSet,
} from './change-set.js';
import { IdempotencyConflictError } from './idempotency-conflict.js';
import type { SyncKeys } from './keys.js';
import type { IncomingEvent, PersonState } from './person-state.js';
import { IDEMPOTENCY_TTL_SECONDS } from './person-store.js';
import { eventEntryTail, type TimelineSettings, timelineSettings } from './person-timeline.js';
import { CLAIM_DUE, COMMIT, PREPARE, SCHEDULE } from './schedule-scripts.js';

/** What became of a future-dated event. */
export type ScheduleStatus = 'scheduled' | 'stale' | 'duplicate';

/** One claimed stage of a change set, to be applied and then committed by its claimer. */
export interface ClaimedChange {
  change: ChangeSet;
  stage: ChangeStage;
  token: string;
  /** The synthetic event an earlier claimer prepared (null: it prepared "nothing to apply"). */
  prepared: IncomingEvent | null | undefined;
}

/** A pending change as operators see it: ids, kind and field names, never HR values. */
export interface ScheduledEntry {
  externalId: string;
  /** When this stage falls due (ISO). */
  dueAt: string;
  effectiveAt: string;
  kind: string;
  stage: ChangeStage;
  sourceEventId: string;
  fields: string[];
}

/** Whether a person's user exists ahead of their start, inactive (the syncer creates it so). */
export interface PrehireReader {
  isPrehire(externalId: string): Promise<boolean>;
}

const MEMBER_SEP = '|';

/**
 * The schedule of future-dated changes in Redis: per person and effective time one change set (the newest
 * `occurredAt` wins), and a ZSET of when each falls due. A stage is claimed with a lease, prepared once, applied,
 * then committed, so it takes effect exactly once whoever applies it and however often they crash.
 */
export class ScheduledChanges implements PrehireReader {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;
  readonly prehireDays: number;
  private readonly timeline: TimelineSettings;

  constructor(options: {
    redis: Redis | Cluster;
    keys: SyncKeys;
    prehireDays?: number;
    /** The console timeline each future-dated event is noted on (default: 100 entries, 30 days). */
    timeline?: TimelineSettings;
  }) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.prehireDays = options.prehireDays ?? 0;
    this.timeline = options.timeline ?? timelineSettings();
  }

  /** The same schedule over another connection (one whose writes a caller then confirms with `WAIT`). */
  onConnection(redis: Redis | Cluster): ScheduledChanges {
    const { keys, prehireDays, timeline } = this;
    return new ScheduledChanges({ redis, keys, prehireDays, timeline });
  }

  /**
   * Records a future-dated event as a change set against the person's state now. A key seen before is a duplicate;
   * an event older than the change set already scheduled for that person and time changes nothing.
   */
  async add(
    previous: PersonState | undefined,
    event: IncomingEvent,
    effectiveAtMs: number,
    now = Date.now(),
  ): Promise<ScheduleStatus> {
    const change = diffChangeSet(previous, event, effectiveAtMs, this.prehireDays);
    const stage: ChangeStage = change.prehireAtMs === undefined ? 'final' : 'prehire';
    const at = String(effectiveAtMs);
    const code = await SCHEDULE.run<number>(
      this.redis,
      [
        this.keys.idempotency(deriveId('k', JSON.stringify([change.externalId, event.idempotencyKey]))),
        this.keys.scheduled(change.externalId),
        this.keys.scheduleDue,
        this.keys.timeline(change.externalId),
      ],
      [
        IDEMPOTENCY_TTL_SECONDS,
        at,
        event.occurredAtMs,
        JSON.stringify(change),
        change.prehireAtMs ?? effectiveAtMs,
        stage,
        `${at}${MEMBER_SEP}${change.externalId}`,
        event.contentHash ?? hashJson([event.type, event.occurredAtMs, event.occurredAtNs ?? 0, event.data]),
        eventEntryTail({
          at: now,
          eventId: event.idempotencyKey,
          type: event.type,
          occurredAtMs: event.occurredAtMs,
        }),
        this.timeline.cap,
        this.timeline.retentionMs,
      ],
    );
    if (code === -2) throw new IdempotencyConflictError(event.idempotencyKey, change.externalId, 0);
    return code === 0 ? 'duplicate' : code < 0 ? 'stale' : 'scheduled';
  }

  /** Claims up to `limit` due stages for `leaseMs`, earliest first. */
  async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedChange[]> {
    const token = randomUUID();
    const rows = await CLAIM_DUE.run<Array<[string, string, string, string, string, string | null]>>(
      this.redis,
      [this.keys.scheduleDue],
      [now, limit, now + leaseMs, token, this.keys.scheduled('')],
    );
    return rows.map(([, , json, , stage, prep]) => ({
      change: JSON.parse(json) as ChangeSet,
      stage: stage === 'prehire' ? 'prehire' : 'final',
      token,
      prepared: prep ? (JSON.parse(prep) as IncomingEvent | null) : undefined,
    }));
  }

  /**
   * The synthetic event that applies a claimed stage over `current`: the one an earlier claimer prepared, else this
   * one, stored first. False when the claim was lost (a correction replaced the change set).
   */
  async prepare(
    claim: ClaimedChange,
    current: PersonState | undefined,
  ): Promise<IncomingEvent | null | false> {
    if (claim.prepared !== undefined) return claim.prepared;
    const event = overlayChangeSet(current, claim.change, claim.stage) ?? null;
    const kept = await PREPARE.run<string | null>(
      this.redis,
      [this.keys.scheduled(claim.change.externalId)],
      [String(claim.change.effectiveAtMs), claim.token, JSON.stringify(event)],
    );
    return kept === null ? false : (JSON.parse(kept) as IncomingEvent | null);
  }

  /** Marks a claimed stage applied: a pre-hire moves on to its start, anything else is done. */
  async commit(claim: ClaimedChange): Promise<boolean> {
    const { change } = claim;
    const at = String(change.effectiveAtMs);
    const next = claim.stage === 'prehire' ? String(change.effectiveAtMs) : '';
    const done = await COMMIT.run<number>(
      this.redis,
      [this.keys.scheduled(change.externalId), this.keys.scheduleDue],
      [at, claim.token, `${at}${MEMBER_SEP}${change.externalId}`, next],
    );
    return done === 1;
  }

  /** Remembers until a day after the start that this person's user is created inactive ahead of it. */
  async markPrehire(externalId: string, startMs: number, now = Date.now()): Promise<void> {
    const ttl = Math.max(60_000, startMs - now + 86_400_000);
    await this.redis.set(this.keys.prehire(externalId), String(startMs), 'PX', ttl);
  }

  async isPrehire(externalId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.prehire(externalId))) === 1;
  }

  /** Pending stages by due time, earliest first (`limit` of them, from `offset`). */
  async list(options: { limit?: number; offset?: number } = {}): Promise<ScheduledEntry[]> {
    const limit = options.limit ?? 100;
    const offset = options.offset ?? 0;
    const rows = await this.redis.zrange(
      this.keys.scheduleDue,
      String(offset),
      String(offset + limit - 1),
      'WITHSCORES',
    );
    const out: ScheduledEntry[] = [];
    for (let i = 0; i + 1 < rows.length; i += 2) {
      const member = rows[i] as string;
      const sep = member.indexOf(MEMBER_SEP);
      const externalId = member.slice(sep + 1);
      const at = member.slice(0, sep);
      const [json, stage] = await this.redis.hmget(this.keys.scheduled(externalId), at, `${at}:stage`);
      if (!json) continue;
      const entry = toEntry(JSON.parse(json) as ChangeSet, stage === 'prehire' ? 'prehire' : 'final');
      // A claimed stage's score is its lease's end; its due time is what operators care about.
      out.push({ ...entry, dueAt: new Date(Math.min(Number(rows[i + 1]), dueOf(entry))).toISOString() });
    }
    return out;
  }

  /** How many stages are pending. */
  async count(): Promise<number> {
    return this.redis.zcard(this.keys.scheduleDue);
  }

  /** One person's pending change sets, earliest effective first. */
  async forPerson(externalId: string): Promise<Array<{ change: ChangeSet; stage: ChangeStage }>> {
    const hash = await this.redis.hgetall(this.keys.scheduled(externalId));
    return Object.keys(hash)
      .filter((f) => /^\d+$/.test(f))
      .sort((a, b) => Number(a) - Number(b))
      .map((at) => ({
        change: JSON.parse(hash[at] as string) as ChangeSet,
        stage: hash[`${at}:stage`] === 'prehire' ? 'prehire' : 'final',
      }));
  }
}

function dueOf(entry: ScheduledEntry): number {
  return Date.parse(entry.dueAt);
}

/** A change set as listed: ids, kind, field names. */
export function toEntry(change: ChangeSet, stage: ChangeStage): ScheduledEntry {
  const due = stage === 'prehire' ? (change.prehireAtMs ?? change.effectiveAtMs) : change.effectiveAtMs;
  return {
    externalId: change.externalId,
    dueAt: new Date(due).toISOString(),
    effectiveAt: new Date(change.effectiveAtMs).toISOString(),
    kind: describeChange(change, stage),
    stage,
    sourceEventId: change.sourceKey,
    fields: Object.keys(change.fields).sort(),
  };
}
