import { randomUUID } from 'node:crypto';
import type { SyncOrigin } from '@dirsync/contracts';
import type { Logger } from '@dirsync/core';
import {
  type Discrepancy,
  type Outcome,
  type PersonResult,
  type Report,
  ReportBuilder,
  type ReportStore,
} from '@dirsync/reports';
import type { PersonState, PersonStore } from './person-store.js';
import type { PersonSyncer, PersonSyncResult } from './sync-person.js';
import type { TargetHealth } from './target-health.js';

/** A person whose sync failed for good in this run. */
export interface FailedPerson {
  externalId: string;
  rev: number;
  correlationId: string;
  code: string;
  message: string;
}

export type BatchResult =
  /** `stored` is false when nobody was synced by this run (everyone's newest state was applied elsewhere). */
  | { status: 'completed'; report: Report; stored: boolean; failures: FailedPerson[] }
  /** Some people failed in a way a later attempt may fix; the others are settled and kept in the draft. */
  | { status: 'retry'; pending: string[]; reason: string }
  /** The target is down for everyone: stop without charging an attempt. */
  | { status: 'quarantined'; reason: string }
  /** Some people are still receiving changes: run again at `untilMs` (no attempt charged) to write once. */
  | { status: 'deferred'; untilMs: number; people: string[] };

export interface BatchInput {
  /** The job's id: names the draft that keeps settled outcomes across retries and crashes. */
  jobId: string;
  externalIds: readonly string[];
  origin: SyncOrigin;
  /** The last attempt turns remaining retryable failures into failures for good. */
  finalAttempt: boolean;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface BatchRunnerOptions {
  people: PersonStore;
  syncer: PersonSyncer;
  reports: ReportStore;
  health?: TargetHealth;
  /** Triggers a sync for people who need one (their manager now exists). */
  onResync?: (externalIds: string[]) => Promise<void>;
  /**
   * How long a person's newest change must have rested before it is written (0: write at once). HR systems often
   * send several webhooks for one edit; waiting this long turns them into one write. Never longer than
   * `maxSettleMs` after the person's first unwritten change.
   */
  settleMs?: number;
  maxSettleMs?: number;
  logger?: Logger;
}

interface DraftEntry {
  result?: PersonResult;
  discrepancies?: Discrepancy[];
  coalesced?: boolean;
}

const REPORT_ID_FIELD = '__report';
/** Discrepancies of attempts that were retried: the final report tells what happened on the way. */
const NOTES_FIELD = '__notes';
const DRAFT_TTL_SECONDS = 7 * 86_400;

/** Whether the person has a change nobody has written yet. */
function hasUnwrittenChange(state: PersonState): boolean {
  return state.rev > state.appliedRev;
}

/** Combines outcomes when one run applies several revisions of a person: a create stays a create. */
function mergeOutcome(previous: Outcome | undefined, next: Outcome): Outcome {
  if (!previous || previous === next) return next;
  if (next === 'unchanged') return previous;
  if (previous === 'created' && next === 'updated') return 'created';
  return next;
}

/**
 * Syncs up to 25 people, one at a time each under its per-person lock, and produces one discrepancy report.
 * Outcomes are kept in a Redis draft as people settle, so a retry or a crash recovery continues where the last run
 * stopped instead of counting anyone twice.
 */
export class BatchRunner {
  private readonly options: BatchRunnerOptions;

  constructor(options: BatchRunnerOptions) {
    this.options = options;
  }

  async run(input: BatchInput): Promise<BatchResult> {
    const { people } = this.options;
    const draftKey = people.keys.draft(input.jobId);
    const redis = people.redis;
    await redis.hsetnx(draftKey, REPORT_ID_FIELD, `rep-${randomUUID()}`);
    await redis.expire(draftKey, DRAFT_TTL_SECONDS);
    const draft = await redis.hgetall(draftKey);

    const retryable: Array<{ externalId: string; result: PersonSyncResult & { status: 'failed' } }> = [];
    const failures: FailedPerson[] = [];
    const contended: string[] = [];
    const settling: Array<{ externalId: string; dueAt: number }> = [];
    for (const externalId of input.externalIds) {
      if (draft[externalId] !== undefined) continue;
      input.signal?.throwIfAborted();
      const settled = await this.syncOne(externalId, input, failures);
      if (settled.kind === 'quarantined') return { status: 'quarantined', reason: settled.reason };
      if (settled.kind === 'settling') {
        settling.push({ externalId, dueAt: settled.dueAt });
        continue;
      }
      if (settled.kind === 'retry') {
        retryable.push({ externalId, result: settled.result });
        continue;
      }
      if (settled.kind === 'contended') contended.push(externalId);
      await redis.hset(draftKey, externalId, JSON.stringify(settled.entry));
    }
    await people.markContended(contended);
    if (settling.length > 0) {
      return {
        status: 'deferred',
        untilMs: Math.max(...settling.map((s) => s.dueAt)),
        people: settling.map((s) => s.externalId),
      };
    }

    if (retryable.length > 0) {
      const quarantine = await this.options.health?.current();
      if (quarantine) return { status: 'quarantined', reason: quarantine.detail };
      if (!input.finalAttempt) {
        const notes = JSON.parse(draft[NOTES_FIELD] ?? '[]') as Discrepancy[];
        for (const { result } of retryable) {
          for (const d of result.discrepancies) notes.push({ ...d, detail: `${d.detail} (retried)` });
        }
        await redis.hset(draftKey, NOTES_FIELD, JSON.stringify(notes));
        return {
          status: 'retry',
          pending: retryable.map((r) => r.externalId),
          reason: retryable.map((r) => `${r.externalId}: ${r.result.error.message}`).join('; '),
        };
      }
      // Out of attempts: these people fail for good (each becomes a failed job an operator can retry).
      for (const { externalId, result } of retryable) {
        const entry = await this.settleAsFailed(externalId, result, failures);
        await redis.hset(draftKey, externalId, JSON.stringify(entry));
      }
    }

    const finalDraft = await redis.hgetall(draftKey);
    const builder = new ReportBuilder({
      id: finalDraft[REPORT_ID_FIELD] ?? `rep-${randomUUID()}`,
      kind: 'sync',
      jobId: input.jobId,
      origin: input.origin,
    });
    for (const note of JSON.parse(finalDraft[NOTES_FIELD] ?? '[]') as Discrepancy[])
      builder.addDiscrepancy(note);
    for (const externalId of input.externalIds) {
      const raw = finalDraft[externalId];
      if (!raw) continue;
      const entry = JSON.parse(raw) as DraftEntry;
      if (entry.result) builder.record(entry.result, entry.discrepancies ?? []);
      else if (entry.coalesced) builder.markCoalesced(externalId);
    }
    const report = builder.build();
    // A trigger that found everyone already applied by other jobs reports nothing worth keeping.
    const stored = report.people.length > 0 || report.discrepancies.length > 0;
    if (stored) await this.options.reports.save(report);
    await redis.del(draftKey);
    return { status: 'completed', report, stored, failures };
  }

  /** Syncs one person until their newest revision is settled (or the attempt must stop). */
  private async syncOne(
    externalId: string,
    input: BatchInput,
    failures: FailedPerson[],
  ): Promise<
    | { kind: 'settled' | 'contended'; entry: DraftEntry }
    | { kind: 'settling'; dueAt: number }
    | { kind: 'retry'; result: PersonSyncResult & { status: 'failed' } }
    | { kind: 'quarantined'; reason: string }
  > {
    const { people, syncer } = this.options;
    const log = input.logger ?? this.options.logger;
    const claim = await people.claim(externalId);
    // Another sync holds this person: it applies their newest state before letting go (see PersonStore.complete).
    if (!claim) return { kind: 'contended', entry: { coalesced: true } };
    const { lock } = claim;
    let state: PersonState | undefined = claim.state;
    let held = true;
    const renewal = setInterval(
      () => {
        people
          .renew(lock)
          .catch((error: unknown) => log?.warn('lock renewal failed', { externalId, err: error }));
      },
      Math.max(1000, Math.floor(people.lockTtlMs / 3)),
    );
    renewal.unref();
    // Marks a revision handled; true when a newer one arrived meanwhile (the lock is kept to apply it now).
    const settle = async (rev: number, failed: boolean): Promise<boolean> => {
      const done = await people.complete(lock, rev, { failed });
      if (done.status === 'lock_lost') log?.warn('lost the person lock while syncing', { externalId });
      if (done.status !== 'newer') held = false;
      return done.status === 'newer';
    };
    try {
      let outcome: Outcome | undefined;
      let scimId: string | undefined;
      let requests = 0;
      let correlationId: string | undefined;
      const discrepancies: Discrepancy[] = [];
      if (state && hasUnwrittenChange(state)) {
        const dueAt = await this.settleDue(state);
        if (dueAt !== undefined) return { kind: 'settling', dueAt };
      }
      while (state) {
        if (state.rev > state.appliedRev) {
          const result = await syncer.sync(state, {
            correlationId: state.correlationId,
            signal: input.signal,
          });
          requests += result.requests;
          correlationId = state.correlationId;
          if (result.status === 'failed') {
            if (result.quarantine) {
              await this.options.health?.quarantine(result.quarantine, result.error.message);
              return { kind: 'quarantined', reason: result.error.message };
            }
            if (result.retryable) return { kind: 'retry', result };
            outcome = 'failed';
            discrepancies.push(...result.discrepancies);
            if (result.scimId) scimId = result.scimId;
            failures.push({
              externalId,
              rev: state.rev,
              correlationId: state.correlationId,
              code: result.error.code,
              message: result.error.message,
            });
            if (!(await settle(state.rev, true))) break;
          } else {
            outcome = mergeOutcome(outcome === 'failed' ? undefined : outcome, result.outcome);
            discrepancies.push(...result.discrepancies);
            if (result.scimId) scimId = result.scimId;
            if (result.resync.length > 0) await this.options.onResync?.(result.resync);
            if (!(await settle(state.rev, false))) break;
          }
        } else if (!(await settle(state.rev, false))) {
          break;
        }
        state = await people.get(externalId);
      }
      if (!outcome) return { kind: 'settled', entry: { coalesced: true } };
      const result: PersonResult = { externalId, outcome, requests };
      if (scimId) result.scimId = scimId;
      if (correlationId) result.correlationId = correlationId;
      return { kind: 'settled', entry: { result, discrepancies } };
    } finally {
      clearInterval(renewal);
      if (held) {
        await people
          .release(lock)
          .catch((error: unknown) =>
            log?.warn('could not release the person lock', { externalId, err: error }),
          );
      }
    }
  }

  /** When a person still receiving changes may be written, or undefined when now is fine. */
  private async settleDue(state: PersonState): Promise<number | undefined> {
    const settleMs = this.options.settleMs ?? 0;
    if (settleMs <= 0) return undefined;
    const now = Date.now();
    const dueAt = state.receivedAtMs + settleMs;
    if (dueAt <= now) return undefined;
    // Someone whose record changes without pause is still written, at the latest maxSettleMs after it began.
    const since = (await this.options.people.pendingSince(state.externalId)) ?? now;
    const latest = since + (this.options.maxSettleMs ?? Math.max(10 * settleMs, 10_000));
    return latest <= now ? undefined : Math.min(dueAt, latest);
  }

  /** Marks a person failed for good after the last attempt, so the sweeper does not pick them up forever. */
  private async settleAsFailed(
    externalId: string,
    result: PersonSyncResult & { status: 'failed' },
    failures: FailedPerson[],
  ): Promise<DraftEntry> {
    const { people } = this.options;
    const claim = await people.claim(externalId);
    const state = claim?.state;
    if (claim) {
      const done = state ? await people.complete(claim.lock, state.rev, { failed: true }) : undefined;
      // A newer revision arrived: leave the person pending for the trigger that came with it.
      if (done?.status !== 'settled' && done?.status !== 'lock_lost') await people.release(claim.lock);
    }
    const correlationId = state?.correlationId ?? '';
    failures.push({
      externalId,
      rev: state?.rev ?? 0,
      correlationId,
      code: result.error.code,
      message: result.error.message,
    });
    const entry: DraftEntry = {
      result: { externalId, outcome: 'failed', correlationId, requests: result.requests },
      discrepancies: result.discrepancies,
    };
    return entry;
  }
}
