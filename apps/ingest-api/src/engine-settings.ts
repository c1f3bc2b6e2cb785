import { type Logger, sharedEngineSettings } from '@dirsync/core';
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
    ...sharedEngineSettings(config),
    redis,
    userAgent: 'dirsync-preview',
    logger,
  };
}
