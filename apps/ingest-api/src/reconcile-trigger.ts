import { randomUUID } from 'node:crypto';
import { JOBS, type ReconcileJob } from '@dirsync/contracts';
import type { ReportStore } from '@dirsync/reports';
import type { Queue } from 'bullmq';
import type { IngestConfig } from './env.js';
import type { ReconcileOrder, ReconcileStart } from './routes/admin.js';

/** While a run is queued or active, this deduplication id makes a second add a no-op: one run at a time. */
const RUN_DEDUPLICATION_ID = 'reconcile-run';

const runFirst =
  'run a dry run first (POST /admin/reconcile with {}), read its report, then confirm its number';

/**
 * An override names the deactivations it confirms; the latest reconcile report must have counted that many. Only
 * a report that deactivated nobody counts (a dry run, or an apply the brake held): after a run that applied its
 * deactivations, what it counted is gone. The worker checks again against the run's own count.
 */
async function checkConfirmedCount(
  reports: Pick<ReportStore, 'list' | 'get'>,
  expected: number,
): Promise<ReconcileStart | undefined> {
  const [latest] = await reports.list({ kind: 'reconcile', limit: 1 });
  const report = latest ? await reports.get(latest.id) : undefined;
  if (!report?.brake) {
    return {
      status: 'refused',
      code: 'dry_run_required',
      message: `there is no reconcile report to check expectedDeactivations against: ${runFirst}`,
      details: { expectedDeactivations: expected },
    };
  }
  const { wouldDeactivate, held } = report.brake;
  const what = `report ${report.id}, ${report.dryRun ? 'a dry run' : 'an apply the brake held'} at ${report.generatedAt}`;
  if (!report.dryRun && !held) {
    return {
      status: 'refused',
      code: 'dry_run_required',
      message: `the latest reconcile run (report ${report.id}) applied its deactivations, so its count is out of date: ${runFirst}`,
      details: { reportId: report.id, expectedDeactivations: expected },
    };
  }
  if (wouldDeactivate !== expected) {
    return {
      status: 'refused',
      code: 'expected_deactivations_mismatch',
      message: `expectedDeactivations is ${expected}, but the last dry run (${what}) would deactivate ${wouldDeactivate}: read that report and confirm its number, or run a dry run again`,
      details: { reportId: report.id, wouldDeactivate, expectedDeactivations: expected },
    };
  }
  return undefined;
}

/** `POST /admin/reconcile`: queues one reconcile run for the workers, unless one is already queued or running. */
export function createReconcileTrigger(
  config: IngestConfig,
  reconcileQueue: Queue<ReconcileJob>,
  reports: Pick<ReportStore, 'list' | 'get'>,
) {
  return async (order: ReconcileOrder): Promise<ReconcileStart> => {
    if (!config.HR_SNAPSHOT) {
      return {
        status: 'unconfigured',
        message: 'HR_SNAPSHOT is not set: reconcile needs an HR snapshot to compare with',
      };
    }
    if (order.overrideBrake && order.expectedDeactivations !== undefined) {
      // A run in progress will write the report to compare with: say so rather than compare with an older one.
      const running = await reconcileQueue.getDeduplicationJobId(RUN_DEDUPLICATION_ID);
      if (running) return { status: 'running', jobId: running };
      const refused = await checkConfirmedCount(reports, order.expectedDeactivations);
      if (refused) return refused;
    }
    const jobId = `reconcile-${randomUUID()}`;
    const data: ReconcileJob = { apply: order.apply, overrideBrake: order.overrideBrake, trigger: 'api' };
    if (order.expectedDeactivations !== undefined) data.expectedDeactivations = order.expectedDeactivations;
    const job = await reconcileQueue.add(JOBS.reconcile, data, {
      jobId,
      deduplication: { id: RUN_DEDUPLICATION_ID },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 100 },
    });
    return job.id === jobId ? { status: 'started', jobId } : { status: 'running', jobId: String(job.id) };
  };
}
