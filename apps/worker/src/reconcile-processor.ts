import { type ReconcileJob, reconcileJobSchema } from '@dirsync/contracts';
import type { Logger } from '@dirsync/core';
import { SnapshotError, type SyncEngine } from '@dirsync/sync';
import { type Job, UnrecoverableError } from 'bullmq';

export interface ReconcileJobResult {
  reportId: string;
  dryRun: boolean;
  brakeHeld: boolean;
  enqueued: number;
  summary: Record<string, number> | undefined;
}

/** The reconcile queue's processor; `runner` is absent when HR_SNAPSHOT is not set on this worker. */
export function createReconcileProcessor(deps: { runner: SyncEngine['reconcile']; logger: Logger }) {
  return async function runReconcileJob(
    job: Job,
    _token?: string,
    signal?: AbortSignal,
  ): Promise<ReconcileJobResult> {
    const data: ReconcileJob = reconcileJobSchema.parse(job.data);
    if (!deps.runner) {
      throw new UnrecoverableError(
        'HR_SNAPSHOT is not set on the worker: there is nothing to reconcile against',
      );
    }
    const log = deps.logger.child({ queue: job.queueName, jobId: job.id, trigger: data.trigger });
    const { apply, overrideBrake, expectedDeactivations } = data;
    log.info('reconcile started', { apply, overrideBrake, expectedDeactivations });
    try {
      // The runner checks the override against this run's own count (the API could only check an older report).
      const result = await deps.runner.run({
        runId: String(job.id),
        apply,
        overrideBrake,
        expectedDeactivations,
        ...(signal ? { signal } : {}),
        onProgress: (progress) => job.updateProgress({ ...progress }),
      });
      if (result.comparison.brake.held) log.warn(`deletion brake held: ${result.comparison.brake.detail}`);
      return {
        reportId: result.report.id,
        dryRun: !data.apply,
        brakeHeld: result.comparison.brake.held,
        enqueued: result.enqueued.length,
        summary: result.report.summary,
      };
    } catch (error) {
      // A bad snapshot will not get better by itself: fail now, retry from the dashboard once it is fixed.
      if (error instanceof SnapshotError) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
