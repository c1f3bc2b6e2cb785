import { createLogger, runService } from '@dirsync/core';
import { loadWorkerConfig } from './env.js';
import { startWorker } from './worker.js';

runService('worker', async () => {
  const config = loadWorkerConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL, defaultMeta: { service: 'worker' } });
  const worker = await startWorker(config, { logger });
  return { logger, close: () => worker.close() };
});
