import { JOBS, QUEUES } from '@dirsync/contracts';
import { createRedisClient, type Logger, withoutQuotedValues } from '@dirsync/core';
import type { SyncEngine } from '@dirsync/sync';
import { Queue, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { WorkerConfig } from './env.js';
import { createReconcileProcessor } from './reconcile-processor.js';

export interface RunningReconcileWorker {
  worker: Worker;
  /** Closes the queue and the worker's connection (after `worker.close()`). */
  close(): Promise<void>;
}

/** The reconcile queue's consumer (one run at a time across every process) and its optional cron schedule. */
export async function startReconcileWorker(
  config: WorkerConfig,
  deps: { redis: Redis | Cluster; engine: SyncEngine; logger: Logger; workerName: string },
): Promise<RunningReconcileWorker> {
  const { logger } = deps;
  const queue = new Queue(QUEUES.reconcile, { connection: deps.redis, prefix: config.QUEUE_PREFIX });
  queue.on('error', (error) => logger.warn('reconcile queue error', { err: error }));
  await queue.setGlobalConcurrency(1);
  // BullMQ treats a connection passed as an instance as shared and never closes it: close() does.
  const connection = createRedisClient(config.redisTopology, {
    connectionName: `dirsync-worker-reconcile:${deps.workerName}`,
  });
  const worker = new Worker(
    QUEUES.reconcile,
    createReconcileProcessor({ runner: deps.engine.reconcile, logger }),
    {
      connection,
      prefix: config.QUEUE_PREFIX,
      name: deps.workerName,
      concurrency: 1,
      lockDuration: config.JOB_LOCK_SECONDS * 1000,
    },
  );
  worker.on('error', (error) => logger.warn('reconcile worker error', { err: error }));
  worker.on('failed', (job, error) => {
    logger.warn('reconcile failed', {
      queue: QUEUES.reconcile,
      jobId: job?.id,
      reason: withoutQuotedValues(error.message),
    });
  });
  if (config.RECONCILE_CRON) {
    await queue.upsertJobScheduler(
      'reconcile-cron',
      { pattern: config.RECONCILE_CRON },
      {
        name: JOBS.reconcile,
        data: { apply: true, overrideBrake: false, trigger: 'cron' },
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  } else {
    await queue.removeJobScheduler('reconcile-cron');
  }
  return {
    worker,
    close: async () => {
      await queue.close();
      connection.disconnect();
    },
  };
}
