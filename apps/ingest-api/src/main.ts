import { createLogger, runService } from '@dirsync/core';
import { loadIngestConfig } from './env.js';
import { startIngestApi } from './server.js';

runService('ingest-api', async () => {
  const config = loadIngestConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL, defaultMeta: { service: 'ingest-api' } });
  const api = await startIngestApi(config, { logger });
  return { logger, close: () => api.close() };
});
