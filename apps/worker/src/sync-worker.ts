import { JOBS, QUEUES } from '@dirsync/contracts';
import { createRedisClient, type Logger, withoutQuotedValues } from '@dirsync/core';
import type { SyncEngine } from '@dirsync/sync';
import { type Queue, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { WorkerConfig } from './env.js';
import type { WorkerMetrics } from './metrics.js';
import { createSyncProcessor } from './sync-processor.js';

/** The sync queue's consumer and the sweeper's schedule. `signal` interrupts in-flight jobs at shutdown. */
export async function startSyncWorker(
  config: WorkerConfig,
  deps: {
    engine: SyncEngine;
    queue: Queue;
    metrics: WorkerMetrics;
    logger: Logger;
    workerName: string;
    signal: AbortSignal;
  },
): Promise<{ worker: Worker; connection: Redis | Cluster }> {
  const { engine, queue, metrics, logger, workerName } = deps;
  const runSyncJob = createSyncProcessor({
    runner: engine.batches,
    people: engine.people,
    queue,
    metrics,
    logger,
    sweepStaleMs: config.SWEEP_STALE_SECONDS * 1000,
    reportMissingManagers: () => engine.reportMissingManagers(),
  });
  // BullMQ treats a connection passed as an instance as shared and never closes it: close() does.
  const syncConnection = createRedisClient(config.redisTopology, {
    connectionName: `dirsync-worker-blocking:${workerName}`,
  });
  const worker = new Worker(
    QUEUES.sync,
    (job, token, signal) =>
      runSyncJob(job, token, signal ? AbortSignal.any([signal, deps.signal]) : deps.signal),
    {
      connection: syncConnection,
      prefix: config.QUEUE_PREFIX,
      name: workerName,
      concurrency: config.SYNC_CONCURRENCY,
      // The request budget is enforced per request in RequestBudget; this limiter only has to exist so that
      // queue.rateLimit() (on a 429) stops every worker from starting jobs.
      limiter: { max: 10_000, duration: 1000 },
      lockDuration: config.JOB_LOCK_SECONDS * 1000,
      // A crashed worker's job is found within a second or so of its lock expiring (one cheap script per check).
      stalledInterval: Math.max(1000, (config.JOB_LOCK_SECONDS * 1000) / 6),
      maxStalledCount: 3,
    },
  );
  worker.on('error', (error) => logger.warn('worker error', { err: error }));

  worker.on('failed', (job, error) => {
    // The reason is in the dashboard and the report; the log keeps ids and the sentence, not the HR values in it.
    const data = job?.data as { externalId?: string; externalIds?: string[] } | undefined;
    logger.warn('job failed', {
      queue: QUEUES.sync,
      jobId: job?.id,
      job: job?.name,
      externalId: data?.externalId,
      people: data?.externalIds?.length,
      reason: withoutQuotedValues(error.message),
      errorType: error.name,
    });
  });

  const scheduleSweep = () =>
    queue.upsertJobScheduler(
      'sweep',
      { every: config.SWEEP_INTERVAL_SECONDS * 1000 },
      { name: JOBS.sweep, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  await scheduleSweep();
  // A failover can lose the scheduler's next run (written to the old primary only), and the sweeper is what
  // re-triggers people whose jobs were lost with it: set the schedule again whenever the connection comes back.
  syncConnection.on('ready', () => {
    scheduleSweep().catch((error: unknown) => logger.warn('sweep schedule not renewed', { err: error }));
  });

  return { worker, connection: syncConnection };
}
