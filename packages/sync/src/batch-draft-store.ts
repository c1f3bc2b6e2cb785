import { randomUUID } from 'node:crypto';
import type { Discrepancy, PersonResult } from '@dirsync/reports';
import type { Cluster, Redis } from 'ioredis';
import type { SyncKeys } from './keys.js';

/** What a batch knows of one person so far: their result, or that another sync covered them. */
export interface DraftEntry {
  result?: PersonResult;
  discrepancies?: Discrepancy[];
  coalesced?: boolean;
}

/** A batch's draft as read back: the report id, per-person entries and notes of retried attempts. */
export interface BatchDraft {
  reportId: string;
  entries: Map<string, DraftEntry>;
  notes: Discrepancy[];
}

const REPORT_ID_FIELD = '__report';
/** Discrepancies of attempts that were retried: the final report tells what happened on the way. */
const NOTES_FIELD = '__notes';
const DRAFT_TTL_SECONDS = 7 * 86_400;

/**
 * Outcomes a batch job has reached so far, one Redis hash per job, so a retry or a crash recovery continues where
 * the last run stopped instead of counting anyone twice.
 */
export class BatchDraftStore {
  private readonly redis: Redis | Cluster;
  private readonly keys: SyncKeys;

  constructor(options: { redis: Redis | Cluster; keys: SyncKeys }) {
    this.redis = options.redis;
    this.keys = options.keys;
  }

  /** Opens (or re-opens) the job's draft; its report id is fixed by the first run. */
  async open(jobId: string): Promise<BatchDraft> {
    const key = this.keys.draft(jobId);
    await this.redis.hsetnx(key, REPORT_ID_FIELD, `rep-${randomUUID()}`);
    await this.redis.expire(key, DRAFT_TTL_SECONDS);
    return this.read(jobId);
  }

  async read(jobId: string): Promise<BatchDraft> {
    const raw = await this.redis.hgetall(this.keys.draft(jobId));
    const entries = new Map<string, DraftEntry>();
    for (const [field, value] of Object.entries(raw)) {
      if (field !== REPORT_ID_FIELD && field !== NOTES_FIELD)
        entries.set(field, JSON.parse(value) as DraftEntry);
    }
    return {
      reportId: raw[REPORT_ID_FIELD] ?? `rep-${randomUUID()}`,
      entries,
      notes: JSON.parse(raw[NOTES_FIELD] ?? '[]') as Discrepancy[],
    };
  }

  async record(jobId: string, externalId: string, entry: DraftEntry): Promise<void> {
    await this.redis.hset(this.keys.draft(jobId), externalId, JSON.stringify(entry));
  }

  async saveNotes(jobId: string, notes: readonly Discrepancy[]): Promise<void> {
    await this.redis.hset(this.keys.draft(jobId), NOTES_FIELD, JSON.stringify(notes));
  }

  async discard(jobId: string): Promise<void> {
    await this.redis.del(this.keys.draft(jobId));
  }
}
