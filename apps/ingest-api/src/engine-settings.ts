import type { Logger } from '@dirsync/core';
import type { SyncEngineSettings } from '@dirsync/sync';
import type { Cluster, Redis } from 'ioredis';
import type { IngestConfig } from './env.js';

/** The API's sync engine settings, from its environment: ingest, preview and status only, no syncing. */
export function apiEngineSettings(
  config: IngestConfig,
  redis: Redis | Cluster,
  logger: Logger,
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
    prehireDays: config.PREHIRE_DAYS,
    hrTimeZone: config.HR_TIMEZONE,
    reportRetentionDays: config.REPORT_RETENTION_DAYS,
    personStateRetentionDays: config.PERSON_STATE_RETENTION_DAYS,
    hrFields: config.HR_FIELDS,
    directoryIndexMaxAgeMs: config.DIRECTORY_INDEX_MAX_AGE,
    phoneRegion: config.DEFAULT_PHONE_REGION,
    userAgent: 'dirsync-preview',
    managerWaitMs: config.MANAGER_WAIT_HOURS * 3_600_000,
    outOfScope: config.OUT_OF_SCOPE,
    logger,
  };
}
