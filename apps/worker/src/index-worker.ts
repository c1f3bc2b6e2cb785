import { QUEUES } from '@dirsync/contracts';
import { createRedisClient, type Logger, withoutQuotedValues } from '@dirsync/core';
import type { SyncEngine } from '@dirsync/sync';
import { type Job, Queue, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { WorkerConfig } from './env.js';

export interface RunningIndexWorker {
  worker: Worker;
  /** Closes the queue and the worker's connection (after `worker.close()`). */
  close(): Promise<void>;
}

/** The directory index builder as a job: progress (users read, pages) shows in the dashboard. */
function createIndexProcessor(engine: SyncEngine, logger: Logger) {
  return async (job: Job, _token?: string, signal?: AbortSignal) => {
    const log = logger.child({ queue: job.queueName, jobId: job.id });
    log.info('directory index build started');
    const built = await engine.indexBuilder.build({
      runId: String(job.id),
      signal,
      onProgress: (progress) => job.updateProgress({ ...progress }),
    });
    return { users: built.users, pages: built.pages, builtAt: new Date(built.builtAt ?? 0).toISOString() };
  };
}

/** The directory index queue's consumer (one build at a time across every process). */
export async function startIndexWorker(
  config: WorkerConfig,
  deps: { redis: Redis | Cluster; engine: SyncEngine; logger: Logger; workerName: string },
): Promise<RunningIndexWorker> {
  const { logger, engine } = deps;
  const queue = new Queue(QUEUES.directoryIndex, { connection: deps.redis, prefix: config.QUEUE_PREFIX });
  queue.on('error', (error) => logger.warn('directory index queue error', { err: error }));
  await queue.setGlobalConcurrency(1);
  // BullMQ treats a connection passed as an instance as shared and never closes it: close() does.
  const connection = createRedisClient(config.redisTopology, {
    connectionName: `dirsync-worker-index:${deps.workerName}`,
  });
  const worker = new Worker(QUEUES.directoryIndex, createIndexProcessor(engine, logger), {
    connection,
    prefix: config.QUEUE_PREFIX,
    name: deps.workerName,
    concurrency: 1,
    lockDuration: config.JOB_LOCK_SECONDS * 1000,
  });
  worker.on('error', (error) => logger.warn('directory index worker error', { err: error }));
  worker.on('failed', (job, error) => {
    logger.warn('directory index build failed', {
      queue: QUEUES.directoryIndex,
      jobId: job?.id,
      reason: withoutQuotedValues(error.message),
    });
  });
  const { builtAt } = await engine.directoryIndex.stats();
  if (builtAt === undefined) {
    logger.info(
      'no directory index for this target yet: POST /admin/index builds one (one request per 25 users, at background priority); until then each person new to dirsync is looked up before it is written',
    );
  }
  return {
    worker,
    close: async () => {
      await queue.close();
      connection.disconnect();
    },
  };
}
