import type { Server } from 'node:http';
import { JOBS, QUEUES } from '@dirsync/contracts';
import { createLogger, createRedis, type Logger, withoutQuotedValues } from '@dirsync/core';
import { addSyncBatches, createSyncEngine, createSyncQueue } from '@dirsync/sync';
import { Queue, Worker } from 'bullmq';
import { workerEngineSettings } from './engine-settings.js';
import type { WorkerConfig } from './env.js';
import { createWorkerMetrics, serveMetrics, type WorkerMetrics } from './metrics.js';
import { createReconcileProcessor } from './reconcile-processor.js';
import { createSyncProcessor } from './sync-processor.js';

export interface RunningWorker {
  /** Port of /metrics and /healthz, when enabled. */
  metricsPort: number | undefined;
  metrics: WorkerMetrics;
  /** Graceful: stop taking jobs, let in-flight ones finish (interrupting them after the grace period), close. */
  close(): Promise<void>;
}

export interface StartWorkerOptions {
  logger?: Logger;
  /** Worker name shown in the dashboard. */
  name?: string;
}

/** Starts one worker process's sync engine: loads mapping and policy (refusing bad files), connects, consumes. */
export async function startWorker(
  config: WorkerConfig,
  options: StartWorkerOptions = {},
): Promise<RunningWorker> {
  const logger =
    options.logger ?? createLogger({ level: config.LOG_LEVEL, defaultMeta: { service: 'worker' } });

  const workerName = options.name ?? `worker-${process.pid}`;
  const redis = createRedis(config.REDIS_URL, { connectionName: `dirsync-worker:${workerName}` });
  redis.on('error', (error) => logger.warn('redis connection error', { err: error }));
  const metrics = createWorkerMetrics();
  const queue = createSyncQueue({ connection: redis, prefix: config.QUEUE_PREFIX });
  queue.on('error', (error) => logger.warn('sync queue error', { err: error }));

  const pauseQueue = async (reason: string) => {
    await queue.pause();
    metrics.quarantined.set(1);
    logger.error(
      `SYNC QUARANTINED: ${reason}. The sync queue is paused; attempts are not being spent. Probing the target every ${config.QUARANTINE_PROBE_SECONDS} s.`,
    );
  };
  // Bad mapping or policy files stop start-up here, not at the first event.
  const engine = await createSyncEngine(
    workerEngineSettings(config, redis, logger, {
      requestSync: async (ids, origin, runId) => {
        await addSyncBatches(queue, ids, origin, runId ? { runId } : {});
      },
      onRateLimited: async (ms) => {
        // Everyone waits: in-flight requests through the shared budget, new jobs through BullMQ's rate limit.
        await queue.rateLimit(ms);
        logger.warn('target answered 429; every worker pauses', { retryAfterMs: ms });
      },
      onQuarantine: (q) =>
        pauseQueue(
          `${q.reason === 'auth' ? 'the target refuses our credentials' : 'the target keeps failing'}: ${q.detail}`,
        ),
      onBudgetWait: (ms) => metrics.budgetWaitSeconds.observe(ms / 1000),
      onTargetResponse: ({ route, status, durationMs }, priority) => {
        metrics.requests.inc({ route, status: String(status) });
        if (priority === 'background') return;
        metrics.requestSeconds.observe({ route }, durationMs / 1000);
        if (status === 429) metrics.rateLimited.inc();
        if (status === 412 || status === 409) metrics.conflicts.inc();
      },
    }),
  );
  const { people, health } = engine;

  const shutdown = new AbortController();
  const runSyncJob = createSyncProcessor({
    runner: engine.batches,
    people,
    queue,
    metrics,
    logger,
    sweepStaleMs: config.SWEEP_STALE_SECONDS * 1000,
  });
  // BullMQ treats a connection passed as an instance as shared and never closes it: close() does.
  const syncConnection = createRedis(config.REDIS_URL, {
    connectionName: `dirsync-worker-blocking:${workerName}`,
  });
  const reconcileConnection = createRedis(config.REDIS_URL, {
    connectionName: `dirsync-worker-reconcile:${workerName}`,
  });
  const worker = new Worker(
    QUEUES.sync,
    (job, token, signal) =>
      runSyncJob(job, token, signal ? AbortSignal.any([signal, shutdown.signal]) : shutdown.signal),
    {
      connection: syncConnection,
      prefix: config.QUEUE_PREFIX,
      name: workerName,
      concurrency: config.SYNC_CONCURRENCY,
      // The request budget is enforced per request in RequestBudget; this limiter only has to exist so that
      // queue.rateLimit() (on a 429) stops every worker from starting jobs.
      limiter: { max: 10_000, duration: 1000 },
      lockDuration: config.JOB_LOCK_SECONDS * 1000,
      stalledInterval: config.JOB_LOCK_SECONDS * 1000,
      maxStalledCount: 3,
    },
  );
  worker.on('error', (error) => logger.warn('worker error', { err: error }));

  const reconcileQueue = new Queue(QUEUES.reconcile, { connection: redis, prefix: config.QUEUE_PREFIX });
  reconcileQueue.on('error', (error) => logger.warn('reconcile queue error', { err: error }));
  // One reconcile at a time across every worker process.
  await reconcileQueue.setGlobalConcurrency(1);
  const reconcileWorker = new Worker(
    QUEUES.reconcile,
    createReconcileProcessor({ runner: engine.reconcile, logger }),
    {
      connection: reconcileConnection,
      prefix: config.QUEUE_PREFIX,
      name: workerName,
      concurrency: 1,
      lockDuration: config.JOB_LOCK_SECONDS * 1000,
    },
  );
  reconcileWorker.on('error', (error) => logger.warn('reconcile worker error', { err: error }));
  reconcileWorker.on('failed', (job, error) => {
    logger.warn('reconcile failed', {
      queue: QUEUES.reconcile,
      jobId: job?.id,
      reason: withoutQuotedValues(error.message),
    });
  });
  if (config.RECONCILE_CRON) {
    await reconcileQueue.upsertJobScheduler(
      'reconcile-cron',
      { pattern: config.RECONCILE_CRON },
      {
        name: JOBS.reconcile,
        data: { apply: true, overrideBrake: false, trigger: 'cron' },
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  } else {
    await reconcileQueue.removeJobScheduler('reconcile-cron');
  }
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

  await queue.upsertJobScheduler(
    'sweep',
    { every: config.SWEEP_INTERVAL_SECONDS * 1000 },
    { name: JOBS.sweep, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );

  // While quarantined, probe the target; the first success resumes everyone.
  const probeTimer = setInterval(() => {
    void (async () => {
      const quarantine = await health.current();
      metrics.quarantined.set(quarantine ? 1 : 0);
      if (!quarantine) return;
      try {
        await engine.probeTarget(shutdown.signal);
        if (await health.lift()) {
          await queue.resume();
          logger.warn('quarantine lifted: the target answers again; the sync queue resumed', {
            quarantinedSince: quarantine.since,
          });
        }
        metrics.quarantined.set(0);
      } catch (error) {
        logger.warn('quarantine probe failed; still quarantined', { err: error });
      }
    })().catch((error: unknown) => logger.warn('quarantine check failed', { err: error }));
  }, config.QUARANTINE_PROBE_SECONDS * 1000);
  probeTimer.unref();

  let metricsServer: Server | undefined;
  let metricsPort: number | undefined;
  if (config.WORKER_METRICS_PORT !== 0) {
    const served = await serveMetrics(metrics.registry, config.WORKER_METRICS_PORT, async () => ({
      status: 'ok',
      running: worker.isRunning(),
      quarantine: (await health.current()) ?? null,
    }));
    metricsServer = served.server;
    metricsPort = served.port;
  }
  logger.info('worker started', {
    concurrency: config.SYNC_CONCURRENCY,
    budgetPerMinute: config.SCIM_RATE_LIMIT_PER_MINUTE,
    target: config.GENESYS_BASE_URL,
    metricsPort,
  });

  let closing: Promise<void> | undefined;
  return {
    metricsPort,
    metrics,
    close: () => {
      closing ??= (async () => {
        clearInterval(probeTimer);
        // In-flight jobs get a grace period; then their waits are interrupted and they return to the queue.
        const grace = setTimeout(
          () => shutdown.abort(new Error('shutdown')),
          config.SHUTDOWN_GRACE_SECONDS * 1000,
        );
        await Promise.all([worker.close(), reconcileWorker.close()]);
        clearTimeout(grace);
        shutdown.abort(new Error('shutdown'));
        await Promise.all([queue.close(), reconcileQueue.close()]);
        engine.close();
        await new Promise<void>((resolve) =>
          metricsServer ? metricsServer.close(() => resolve()) : resolve(),
        );
        syncConnection.disconnect();
        reconcileConnection.disconnect();
        redis.disconnect();
        logger.info('worker stopped');
      })();
      return closing;
    },
  };
}
