import {
  JOBS,
  type SyncBatchJob,
  type SyncUserJob,
  syncBatchJobSchema,
  syncUserJobSchema,
} from '@dirsync/contracts';
import type { Logger } from '@dirsync/core';
import {
  addFailedPersonJob,
  addSyncBatches,
  type BatchResult,
  type SyncEngine,
  SyncInterruptedError,
} from '@dirsync/sync';
import { DelayedError, type Job, type Queue, UnrecoverableError, WaitingError } from 'bullmq';
import type { WorkerMetrics } from './metrics.js';
import { logTargetRefusals } from './refusal-log.js';

export interface SyncProcessorDeps {
  runner: SyncEngine['batches'];
  people: SyncEngine['people'];
  queue: Queue;
  metrics: WorkerMetrics;
  logger: Logger;
  /** People pending longer than this are triggered again by the sweeper. */
  sweepStaleMs: number;
  /** Reports, once each, people whose manager is still missing after MANAGER_WAIT_HOURS. */
  reportMissingManagers: SyncEngine['reportMissingManagers'];
}

/** Job result stored by BullMQ and shown in the dashboard (ids and counts only). */
export interface SyncJobResult {
  reportId?: string;
  counts?: Record<string, number>;
  failed?: string[];
  superseded?: boolean;
  triggered?: number;
  /** The report of managers still missing, when the sweep found any. */
  missingManagersReportId?: string;
}

function isFinalAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** Maps a batch result that is not completed onto BullMQ (throws); counts a completed one's people. */
async function moveJobUnlessCompleted(
  metrics: WorkerMetrics,
  job: Job,
  token: string | undefined,
  result: BatchResult,
): Promise<void> {
  if (result.kind === 'quarantined') {
    metrics.jobs.inc({ name: job.name, result: 'quarantined' });
    // Back to the (paused) queue, attempts untouched: the target is down for everyone.
    await job.moveToWait(token);
    throw new WaitingError();
  }
  if (result.kind === 'retry') {
    metrics.jobs.inc({ name: job.name, result: 'retry' });
    throw new Error(`${result.pending.length} people will be retried: ${result.reason}`);
  }
  if (result.kind === 'deferred') {
    metrics.jobs.inc({ name: job.name, result: 'deferred' });
    // Back to the delayed set until their changes have rested; no attempt is charged.
    await job.moveToDelayed(result.untilMs, token);
    throw new DelayedError();
  }
  for (const [outcome, n] of Object.entries(result.report.counts)) {
    if (n > 0) metrics.people.inc({ outcome }, n);
  }
}

/** Runs the batch; an interrupted run goes back to the queue without charging an attempt. */
async function runBatch(
  deps: SyncProcessorDeps,
  job: Job,
  token: string | undefined,
  signal: AbortSignal,
  externalIds: string[],
  origin: SyncBatchJob['origin'],
) {
  const { metrics } = deps;
  const log = deps.logger.child({ queue: deps.queue.name, jobId: job.id, job: job.name });
  try {
    return await deps.runner.run({
      jobId: String(job.id),
      externalIds,
      origin,
      finalAttempt: isFinalAttempt(job),
      attempt: job.attemptsMade + 1,
      signal,
      logger: log,
    });
  } catch (error) {
    if (error instanceof SyncInterruptedError || signal.aborted) {
      metrics.jobs.inc({ name: job.name, result: 'interrupted' });
      log.info('interrupted by shutdown; back to the queue');
      await job.moveToWait(token);
      throw new WaitingError();
    }
    throw error;
  }
}

/**
 * The sync queue's processor: batches, single-person retries and the sweeper. Maps batch results onto BullMQ:
 * retryable failures throw (backoff applies), a quarantine moves the job back without charging an attempt, a
 * failure for good becomes a per-person failed job.
 */
export function createSyncProcessor(deps: SyncProcessorDeps) {
  const { people, queue, metrics } = deps;

  return async function runSyncJob(
    job: Job,
    token: string | undefined,
    signal: AbortSignal,
  ): Promise<SyncJobResult> {
    metrics.queueLagSeconds.observe(Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp) / 1000);
    switch (job.name) {
      case JOBS.syncBatch: {
        const data: SyncBatchJob = syncBatchJobSchema.parse(job.data);
        const result = await runBatch(deps, job, token, signal, data.externalIds, data.origin);
        await moveJobUnlessCompleted(metrics, job, token, result);
        if (result.kind !== 'completed') return {};
        logTargetRefusals(deps.logger, result.report);
        for (const failure of result.failures) await addFailedPersonJob(queue, failure, data.origin);
        metrics.jobs.inc({ name: job.name, result: 'completed' });
        return {
          ...(result.stored ? { reportId: result.report.id } : {}),
          counts: result.report.counts,
          failed: result.failures.map((f) => f.externalId),
        };
      }
      case JOBS.syncUser: {
        const data: SyncUserJob = syncUserJobSchema.parse(job.data);
        if (data.failure && job.attemptsMade === 0) {
          const state = await people.get(data.externalId);
          if (!state || state.rev > data.failure.rev) {
            // A newer HR change arrived since; its own sync supersedes this failure.
            metrics.jobs.inc({ name: job.name, result: 'completed' });
            return { superseded: true };
          }
          // Born failed: shows the reason in the dashboard without spending requests; a retry re-syncs.
          metrics.jobs.inc({ name: job.name, result: 'failed' });
          throw new UnrecoverableError(`${data.failure.code}: ${data.failure.message}`);
        }
        // An operator's retry (or an automatic one): apply this person's newest state again.
        await people.requestResync(data.externalId);
        const result = await runBatch(deps, job, token, signal, [data.externalId], 'retry');
        await moveJobUnlessCompleted(metrics, job, token, result);
        if (result.kind !== 'completed') return {};
        logTargetRefusals(deps.logger, result.report);
        const failure = result.failures[0];
        if (failure) {
          metrics.jobs.inc({ name: job.name, result: 'failed' });
          throw new UnrecoverableError(`${failure.code}: ${failure.message} (report ${result.report.id})`);
        }
        metrics.jobs.inc({ name: job.name, result: 'completed' });
        return { ...(result.stored ? { reportId: result.report.id } : {}), counts: result.report.counts };
      }
      case JOBS.sweep: {
        // People whose sync holder died (its lock expired with their change unapplied).
        const orphaned = await people.takeDueContended(500);
        // The last net: people pending far longer than any queue wait should take.
        const stale = await people.takeStalePending(Date.now() - deps.sweepStaleMs, 500);
        // Leavers past PERSON_STATE_RETENTION_DAYS: their HR fields go, a tombstone stays.
        const retired = await people.retireDue(500);
        if (retired.length > 0)
          deps.logger.info('person states retired to tombstones', { count: retired.length });
        const due = [...new Set([...orphaned, ...stale])];
        if (due.length > 0) {
          deps.logger.warn('sweeper re-triggered people whose sync was interrupted or overdue', {
            orphaned: orphaned.length,
            overdue: stale.length,
          });
          await addSyncBatches(queue, due, 'sweep');
        }
        const missing = await deps.reportMissingManagers();
        if (!missing) return { triggered: due.length };
        metrics.managersMissing.inc(missing.discrepancies.length);
        return { triggered: due.length, missingManagersReportId: missing.id };
      }
      default:
        throw new UnrecoverableError(`unknown job name "${job.name}" on the sync queue`);
    }
  };
}
