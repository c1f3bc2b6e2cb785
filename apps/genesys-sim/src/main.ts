import { createLogger, runService } from '@dirsync/core';
import { startSimulator } from '@dirsync/genesys-sim';
import { loadSimEnv, simulatorOptionsFromEnv } from './env.js';

runService(
  'genesys-sim',
  async () => {
    const env = loadSimEnv(process.env);
    const logger = createLogger({ level: env.LOG_LEVEL, defaultMeta: { service: 'genesys-sim' } });
    const options = simulatorOptionsFromEnv(env);
    const sim = await startSimulator({ ...options, logger });
    logger.info('genesys simulator listening', {
      url: sim.url,
      scimUrl: sim.scimUrl,
      admin: options.admin,
      rateLimitPerMinute: options.rateLimitPerMinute,
      latencyMs: options.latencyMs,
    });
    return {
      logger,
      close: async () => {
        await sim.close();
        logger.info('genesys simulator stopped');
      },
    };
  },
  // If a shutdown hangs, leave anyway: the supervisor is waiting.
  { forceExitMs: 10_000 },
);
