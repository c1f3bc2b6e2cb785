import { ConfigError, createLogger } from '@dirsync/core';
import { loadIngestConfig } from './env.js';
import { createPreview } from './preview.js';
import { startIngestApi } from './server.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadIngestConfig>;
  try {
    config = loadIngestConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ingest-api: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, defaultMeta: { service: 'ingest-api' } });
  const api = await startIngestApi(config, { logger, createPreview });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    api.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { err: error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `ingest-api: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
