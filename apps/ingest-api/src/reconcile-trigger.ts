import { randomUUID } from 'node:crypto';
import { JOBS, type ReconcileJob } from '@dirsync/contracts';
import type { Queue } from 'bullmq';
import type { IngestConfig } from './env.js';
import type { ReconcileStart } from './routes/admin.js';

/** `POST /admin/reconcile`: queues one reconcile run for the workers, unless one is already queued or running. */
export function createReconcileTrigger(config: IngestConfig, reconcileQueue: Queue<ReconcileJob>) {
  return async (request: { apply: boolean; overrideBrake: boolean }): Promise<ReconcileStart> => {
    if (!config.HR_SNAPSHOT) {
      return {
        status: 'unconfigured',
        message: 'HR_SNAPSHOT is not set: reconcile needs an HR snapshot to compare with',
      };
    }
    const jobId = `reconcile-${randomUUID()}`;
    const job = await reconcileQueue.add(
      JOBS.reconcile,
      { ...request, trigger: 'api' },
      // One run at a time: while a run is queued or active, its deduplication id makes a second add a no-op.
      {
        jobId,
        deduplication: { id: 'reconcile-run' },
        removeOnComplete: { count: 100 },
        removeOnFail: { count: 100 },
      },
    );
    return job.id === jobId ? { status: 'started', jobId } : { status: 'running', jobId: String(job.id) };
  };
}
