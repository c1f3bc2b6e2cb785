import type { Logger } from '@dirsync/core';
import type { SyncEngineHooks, SyncEngineSettings } from '@dirsync/sync';
import type { Redis } from 'ioredis';
import type { WorkerConfig } from './env.js';

/** The worker's sync engine settings, from its environment. */
export function workerEngineSettings(
  config: WorkerConfig,
  redis: Redis,
  logger: Logger,
  hooks: SyncEngineHooks,
): SyncEngineSettings {
  return {
    redis,
    prefix: config.QUEUE_PREFIX,
    target: {
      baseUrl: config.GENESYS_BASE_URL,
      loginUrl: config.GENESYS_LOGIN_URL,
      scimBasePath: config.SCIM_BASE_PATH,
      clientId: config.GENESYS_CLIENT_ID,
      clientSecret: config.GENESYS_CLIENT_SECRET,
    },
    requestsPerMinute: config.SCIM_RATE_LIMIT_PER_MINUTE,
    mappingFile: config.MAPPING_FILE,
    policyFile: config.POLICY_FILE,
    protectedUsers: config.PROTECTED_USERS,
    lockTtlMs: config.JOB_LOCK_SECONDS * 1000,
    quietPeriodMs: config.SYNC_SETTLE_MS,
    targetFailureWindowMs: config.TARGET_FAILURE_WINDOW_SECONDS * 1000,
    reportRetentionDays: config.REPORT_RETENTION_DAYS,
    auditLogPath: config.AUDIT_LOG,
    reconcile: config.HR_SNAPSHOT
      ? {
          snapshotSource: config.HR_SNAPSHOT,
          maxDeactivatePercent: config.RECONCILE_MAX_DEACTIVATE_PERCENT,
          maxDeactivateCount: config.RECONCILE_MAX_DEACTIVATE_COUNT,
        }
      : undefined,
    userAgent: 'dirsync-worker',
    logger,
    hooks,
  };
}
