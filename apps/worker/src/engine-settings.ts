import { type Logger, sharedEngineSettings } from '@dirsync/core';
import {
  addSyncBatches,
  type Quarantine,
  type SyncEngineHooks,
  type SyncEngineSettings,
} from '@dirsync/sync';
import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { WorkerConfig } from './env.js';
import type { WorkerMetrics } from './metrics.js';

/**
 * A person's lock lives half as long as a job's: BullMQ renews a job's lock at half its life, so a dead worker's
 * job comes back no sooner than half a lock after its last renewal — by then the people it held are free, and
 * the retried job claims them instead of finding them contended and leaving them to the sweeper.
 */
export function personLockTtlMs(config: WorkerConfig): number {
  // Renewed every second at the most often (person-run.ts): a shorter lock would lapse between renewals.
  return Math.max(2000, (config.JOB_LOCK_SECONDS * 1000) / 2);
}

/** The worker's sync engine settings, from its environment. */
export function workerEngineSettings(
  config: WorkerConfig,
  redis: Redis | Cluster,
  logger: Logger,
  hooks: SyncEngineHooks,
): SyncEngineSettings {
  return {
    ...sharedEngineSettings(config),
    redis,
    lockTtlMs: personLockTtlMs(config),
    quietPeriodMs: config.SYNC_SETTLE_MS,
    targetFailureWindowMs: config.TARGET_FAILURE_WINDOW_SECONDS * 1000,
    authQuarantineAfterPeople: config.AUTH_QUARANTINE_AFTER_PEOPLE,
    auditLogPath: config.AUDIT_LOG,
    reconcile: config.HR_SNAPSHOT
      ? {
          snapshotSource: config.HR_SNAPSHOT,
          maxDeactivatePercent: config.RECONCILE_MAX_DEACTIVATE_PERCENT,
          maxDeactivateCount: config.RECONCILE_MAX_DEACTIVATE_COUNT,
          // A production worker never reads HR data over plain http.
          requireHttps: config.NODE_ENV === 'production',
        }
      : undefined,
    userAgent: 'dirsync-worker',
    logger,
    hooks,
  };
}

/** What a quarantine stopped on, as a metric label and for the dashboard. */
export function quarantineCause(q: Quarantine): string {
  return q.cause ?? (q.reason === 'auth' ? 'credentials' : 'server');
}

/** How the engine reaches the worker's edges: sync triggers, the queue's rate limit and pause, metrics. */
export function workerEngineHooks(
  config: WorkerConfig,
  deps: { queue: Queue; metrics: WorkerMetrics; logger: Logger },
): SyncEngineHooks {
  const { queue, metrics, logger } = deps;
  const pauseQueue = async (reason: string) => {
    await queue.pause();
    metrics.quarantined.set(1);
    logger.error(
      `SYNC QUARANTINED: ${reason}. The sync queue is paused; attempts are not being spent. Probing the target every ${config.QUARANTINE_PROBE_SECONDS} s.`,
    );
  };
  return {
    requestSync: async (ids, origin, runId) => {
      await addSyncBatches(queue, ids, origin, runId ? { runId } : {});
    },
    onRateLimited: async (ms) => {
      // Everyone waits: in-flight requests through the shared budget, new jobs through BullMQ's rate limit.
      await queue.rateLimit(ms);
      logger.warn('target answered 429; every worker pauses', { retryAfterMs: ms });
    },
    onQuarantine: (q) => {
      metrics.quarantineEntries.inc({ cause: quarantineCause(q) });
      return pauseQueue(
        `${q.reason === 'auth' ? `the target refuses us (${quarantineCause(q)})` : 'the target keeps failing'}: ${q.detail}`,
      );
    },
    onBudgetWait: (ms) => metrics.budgetWaitSeconds.observe(ms / 1000),
    onTargetResponse: ({ route, status, durationMs }, priority) => {
      metrics.requests.inc({ route, status: String(status) });
      if (priority === 'background') return;
      metrics.requestSeconds.observe({ route }, durationMs / 1000);
      if (status === 429) metrics.rateLimited.inc();
      if (status === 412 || status === 409) metrics.conflicts.inc();
    },
  };
}
