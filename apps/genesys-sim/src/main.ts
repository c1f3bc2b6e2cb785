import { ConfigError, createLogger } from '@dirsync/core';
import { loadSimEnv, type SimEnv, simulatorOptionsFromEnv } from './env.js';
import { startSimulator } from './simulator.js';

/** If a shutdown hangs, leave anyway: the supervisor is waiting. */
const FORCED_EXIT_MS = 10_000;

async function main(): Promise<void> {
  let env: SimEnv;
  try {
    env = loadSimEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`genesys-sim: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
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

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info('genesys simulator shutting down', { signal });
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, FORCED_EXIT_MS).unref();
    sim.close().then(
      () => {
        logger.info('genesys simulator stopped');
        process.exitCode = 0;
      },
      (error: unknown) => {
        logger.error('genesys simulator failed to stop cleanly', { error });
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`genesys-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
