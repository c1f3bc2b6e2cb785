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
    reportRetentionDays: config.REPORT_RETENTION_DAYS,
    userAgent: 'dirsync-preview',
    logger,
  };
}
