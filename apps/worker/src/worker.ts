import { createLogger, createRedisClient, type Logger } from '@dirsync/core';
import { createSyncEngine, createSyncQueue } from '@dirsync/sync';
import { workerEngineHooks, workerEngineSettings } from './engine-settings.js';
import type { WorkerConfig } from './env.js';
import { registerIndexMetrics } from './index-metrics.js';
import { startIndexWorker } from './index-worker.js';
import { createWorkerMetrics, serveMetrics, type WorkerMetrics } from './metrics.js';
import { startQuarantineProbe } from './quarantine-probe.js';
import { startReconcileWorker } from './reconcile-worker.js';
import { startSyncWorker } from './sync-worker.js';

export interface RunningWorker {
  /** Port of /metrics and /healthz, when enabled. */
  metricsPort: number | undefined;
  /** The interface /metrics and /healthz are bound to (`METRICS_HOST`), when enabled. */
  metricsAddress: string | undefined;
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
  const redis = createRedisClient(config.redisTopology, { connectionName: `dirsync-worker:${workerName}` });
  redis.on('error', (error) => logger.warn('redis connection error', { err: error }));
  const metrics = createWorkerMetrics();
  const queue = createSyncQueue({ connection: redis, prefix: config.QUEUE_PREFIX });
  queue.on('error', (error) => logger.warn('sync queue error', { err: error }));

  // Bad mapping or policy files stop start-up here, not at the first event.
  const engine = await createSyncEngine(
    workerEngineSettings(config, redis, logger, workerEngineHooks(config, { queue, metrics, logger })),
  );

  const shutdown = new AbortController();
  const { worker, connection: syncConnection } = await startSyncWorker(config, {
    engine,
    queue,
    metrics,
    logger,
    workerName,
    signal: shutdown.signal,
  });
  const reconcile = await startReconcileWorker(config, { redis, engine, logger, workerName });
  // Future-dated changes fall due here; overdue ones (after downtime) are applied at the first poll.
  const scheduleRunner = engine.createScheduleRunner();
  scheduleRunner.start();
  const indexing = await startIndexWorker(config, { redis, engine, logger, workerName });
  registerIndexMetrics(metrics.registry, engine.directoryIndex);
  const stopProbing = startQuarantineProbe({
    engine,
    queue,
    metrics,
    logger,
    intervalMs: config.QUARANTINE_PROBE_SECONDS * 1000,
    maxIntervalMs: config.QUARANTINE_PROBE_MAX_SECONDS * 1000,
    signal: shutdown.signal,
  });

  const served =
    config.WORKER_METRICS_PORT === 0
      ? undefined
      : await serveMetrics(
          metrics.registry,
          { host: config.METRICS_HOST, port: config.WORKER_METRICS_PORT },
          async () => ({
            status: 'ok',
            running: worker.isRunning(),
            quarantine: (await engine.health.current()) ?? null,
          }),
        );
  const metricsPort = served?.port;
  logger.info('worker started', {
    concurrency: config.SYNC_CONCURRENCY,
    budgetPerMinute: config.SCIM_RATE_LIMIT_PER_MINUTE,
    target: config.GENESYS_BASE_URL,
    metricsPort,
    metricsHost: served?.address,
  });

  let closing: Promise<void> | undefined;
  return {
    metricsPort,
    metricsAddress: served?.address,
    metrics,
    close: () => {
      closing ??= (async () => {
        stopProbing();
        await scheduleRunner.stop();
        // In-flight jobs get a grace period; then their waits are interrupted and they return to the queue.
        const grace = setTimeout(
          () => shutdown.abort(new Error('shutdown')),
          config.SHUTDOWN_GRACE_SECONDS * 1000,
        );
        await Promise.all([worker.close(), reconcile.worker.close(), indexing.worker.close()]);
        clearTimeout(grace);
        shutdown.abort(new Error('shutdown'));
        await Promise.all([queue.close(), reconcile.close(), indexing.close()]);
        engine.close();
        await new Promise<void>((resolve) => (served ? served.server.close(() => resolve()) : resolve()));
        syncConnection.disconnect();
        redis.disconnect();
        logger.info('worker stopped');
      })();
      return closing;
    },
  };
}
