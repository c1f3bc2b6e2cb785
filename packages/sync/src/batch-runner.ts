import type { SyncOrigin } from '@dirsync/contracts';
import type { Logger } from '@dirsync/core';
import { type PersonResult, type Report, ReportBuilder, type ReportStore } from '@dirsync/reports';
import type { BatchDraftStore, DraftEntry } from './batch-draft-store.js';
import { type FailedPerson, type PersonRunDeps, type PersonRunResult, runPerson } from './person-run.js';
import type { PersonState } from './person-state.js';
import type { PersonStore } from './person-store.js';
import type { PersonSyncFailure, PersonSyncResult } from './person-sync-result.js';
import type { PersonSyncer } from './person-syncer.js';
import { blockedBy, settleRenames } from './rename-rounds.js';
import type { RequestBudget } from './request-budget.js';
import type { SyncRecorder } from './sync-recorder.js';
import type { SyncTrace } from './sync-trace.js';
import type { TargetHealth } from './target-health.js';

/** What one run of a batch came to. */
export type BatchResult =
  /** `stored` is false when nobody was synced by this run (everyone's newest state was applied elsewhere). */
  | { kind: 'completed'; report: Report; stored: boolean; failures: FailedPerson[] }
  /** Some people failed in a way a later attempt may fix; the others are handled and kept in the draft. */
  | { kind: 'retry'; pending: string[]; reason: string }
  /** The target is down for everyone: stop without charging an attempt. */
  | { kind: 'quarantined'; reason: string }
  /** Some people are still receiving changes: run again at `untilMs` (no attempt charged) to write once. */
  | { kind: 'deferred'; untilMs: number; people: string[] };

export interface BatchInput {
  /** The job's id: names the draft that keeps handled outcomes across retries and crashes. */
  jobId: string;
  externalIds: readonly string[];
  origin: SyncOrigin;
  /** The last attempt turns remaining retryable failures into failures for good. */
  finalAttempt: boolean;
  /** 1-based attempt of the job (for the console's timeline). */
  attempt?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface BatchRunnerOptions {
  people: PersonStore;
  drafts: BatchDraftStore;
  syncer: Pick<PersonSyncer, 'sync'>;
  /** The request budget: a person's state is read once their request slot is granted (coalescing under load). */
  budget?: Pick<RequestBudget, 'withSlot'>;
  reports: ReportStore;
  health?: TargetHealth;
  /** Triggers a sync for people who need one (their manager now exists). */
  onResync?: (externalIds: string[]) => Promise<void>;
  /** Keeps each sync's requests and outcome for the console (timeline, counters, people search). */
  recorder?: SyncRecorder;
  /**
   * How long a person's newest change must have rested before it is written (0: write at once). HR systems often
   * send several webhooks for one edit; waiting this long turns them into one write. Never longer than
   * `maxQuietPeriodMs` after the person's first unwritten change.
   */
  quietPeriodMs?: number;
  maxQuietPeriodMs?: number;
  logger?: Logger;
}

type Retryable = { externalId: string; failure: PersonSyncFailure };

/**
 * Syncs up to 25 people, one at a time each under its per-person lock, and produces one discrepancy report.
 * Outcomes are kept in the job's draft as people are handled, so a retry or a crash recovery continues where the
 * last run stopped instead of counting anyone twice.
 */
export class BatchRunner {
  private readonly options: BatchRunnerOptions;

  constructor(options: BatchRunnerOptions) {
    this.options = options;
  }

  async run(input: BatchInput): Promise<BatchResult> {
    const { people, drafts } = this.options;
    const draft = await drafts.open(input.jobId);
    const retryable: Retryable[] = [];
    const failures: FailedPerson[] = [];
    const contended: string[] = [];
    const resting: Array<{ externalId: string; dueAt: number }> = [];
    const deps = this.personRunDeps(input, draft.reportId);
    const logger = input.logger ?? this.options.logger;
    const runOne = (externalId: string, park = false) =>
      runPerson(deps, externalId, { signal: input.signal, logger, park }, failures);
    const blocked: Array<{ externalId: string; holder: string; ran: PersonRunResult }> = [];
    // Files one person's run; a quarantine stops the whole run (its reason is returned).
    const take = async (externalId: string, ran: PersonRunResult): Promise<string | undefined> => {
      if (ran.kind === 'quarantined') return ran.reason;
      if (ran.kind === 'resting') resting.push({ externalId, dueAt: ran.dueAt });
      else if (ran.kind === 'retry') retryable.push({ externalId, failure: ran.failure });
      else {
        if (ran.kind === 'contended') contended.push(externalId);
        await drafts.record(input.jobId, externalId, ran.entry);
      }
      return undefined;
    };
    let stopped: string | undefined;
    for (const externalId of input.externalIds) {
      if (draft.entries.has(externalId)) continue;
      input.signal?.throwIfAborted();
      const ran = await runOne(externalId);
      const holder = blockedBy(ran);
      if (holder !== undefined) blocked.push({ externalId, holder, ran });
      else stopped = await take(externalId, ran);
      if (stopped) break;
    }
    if (!stopped && blocked.length > 0) {
      // Renames that wait for each other's: run again in an order that lets each go through.
      const inBatch = new Set(input.externalIds);
      const settled = await settleRenames({ blocked, handled: (id) => inBatch.has(id), run: runOne });
      for (const [externalId, ran] of settled) {
        stopped = await take(externalId, ran);
        if (stopped) break;
      }
    }
    if (stopped) {
      // People found held by another sync still need their re-check, whatever stops this run.
      await people.markContended(contended);
      return { kind: 'quarantined', reason: stopped };
    }
    await people.markContended(contended);
    if (resting.length > 0) {
      return {
        kind: 'deferred',
        untilMs: Math.max(...resting.map((s) => s.dueAt)),
        people: resting.map((s) => s.externalId),
      };
    }
    if (retryable.length > 0) {
      const quarantine = await this.options.health?.current();
      if (quarantine) return { kind: 'quarantined', reason: quarantine.detail };
      if (!input.finalAttempt) {
        const notes = [...draft.notes];
        for (const { failure } of retryable) {
          for (const d of failure.discrepancies) notes.push({ ...d, detail: `${d.detail} (retried)` });
        }
        await drafts.saveNotes(input.jobId, notes);
        return {
          kind: 'retry',
          pending: retryable.map((r) => r.externalId),
          reason: retryable.map((r) => `${r.externalId}: ${r.failure.error.message}`).join('; '),
        };
      }
      // Out of attempts: these people fail for good (each becomes a failed job an operator can retry).
      for (const { externalId, failure } of retryable) {
        const entry = await this.failForGood(externalId, failure, failures);
        await drafts.record(input.jobId, externalId, entry);
      }
    }
    return this.complete(input, failures);
  }

  /** What each person's run needs: the stores, the quiet period, and the recorder bound to this job's run. */
  private personRunDeps(input: BatchInput, reportId: string): PersonRunDeps {
    const { recorder } = this.options;
    const context = {
      jobId: input.jobId,
      reportId,
      attempt: input.attempt,
      finalAttempt: input.finalAttempt,
    };
    return {
      ...this.options,
      quietUntil: (state: PersonState) => this.quietUntil(state),
      record:
        recorder &&
        ((state: PersonState, result: PersonSyncResult, trace: SyncTrace) =>
          recorder.record(state, result, trace, context)),
    };
  }

  /** Builds the report from the draft, stores it when it says anything, and drops the draft. */
  private async complete(input: BatchInput, failures: FailedPerson[]): Promise<BatchResult> {
    const { drafts } = this.options;
    const draft = await drafts.read(input.jobId);
    const builder = new ReportBuilder({
      id: draft.reportId,
      kind: 'sync',
      jobId: input.jobId,
      origin: input.origin,
    });
    for (const note of draft.notes) builder.addDiscrepancy(note);
    // People run for a rename that waited on them (holders outside the batch) are reported here too.
    const extra = [...draft.entries.keys()].filter((id) => !input.externalIds.includes(id));
    for (const externalId of [...input.externalIds, ...extra]) {
      const entry = draft.entries.get(externalId);
      if (entry?.result) builder.record(entry.result, entry.discrepancies ?? []);
      else if (entry?.coalesced) builder.markCoalesced(externalId);
    }
    const report = builder.build();
    // A trigger that found everyone already applied by other jobs reports nothing worth keeping.
    const stored = report.people.length > 0 || report.discrepancies.length > 0;
    if (stored) await this.options.reports.save(report);
    await drafts.discard(input.jobId);
    return { kind: 'completed', report, stored, failures };
  }

  /** When a person still receiving changes may be written, or undefined when now is fine. */
  private async quietUntil(state: PersonState): Promise<number | undefined> {
    const quietMs = this.options.quietPeriodMs ?? 0;
    if (quietMs <= 0) return undefined;
    const now = Date.now();
    const dueAt = state.receivedAtMs + quietMs;
    if (dueAt <= now) return undefined;
    // Someone whose record changes without pause is still written, at the latest maxQuietPeriodMs after it began.
    const since = (await this.options.people.pendingSince(state.externalId)) ?? now;
    const latest = since + (this.options.maxQuietPeriodMs ?? Math.max(10 * quietMs, 10_000));
    return latest <= now ? undefined : Math.min(dueAt, latest);
  }

  /** Marks a person failed for good after the last attempt, so the sweeper does not pick them up forever. */
  private async failForGood(
    externalId: string,
    failure: PersonSyncFailure,
    failures: FailedPerson[],
  ): Promise<DraftEntry> {
    const { people } = this.options;
    const claim = await people.claim(externalId);
    const state = claim?.state;
    if (claim) {
      const done = state ? await people.complete(claim.lock, state.rev, { failed: true }) : undefined;
      // A newer revision arrived: leave the person pending for the trigger that came with it.
      if (done?.status !== 'released' && done?.status !== 'lock_lost') await people.release(claim.lock);
    }
    const correlationId = state?.correlationId ?? '';
    failures.push({
      externalId,
      rev: state?.rev ?? 0,
      correlationId,
      code: failure.error.code,
      message: failure.error.message,
      ...(failure.targetCorrelationId ? { targetCorrelationId: failure.targetCorrelationId } : {}),
    });
    const result: PersonResult = { externalId, outcome: 'failed', correlationId, requests: failure.requests };
    if (failure.targetCorrelationId) result.targetCorrelationId = failure.targetCorrelationId;
    return {
      result,
      discrepancies: failure.discrepancies,
    };
  }
}
