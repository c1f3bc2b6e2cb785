import { ConfigError, FileLoadError } from './errors.js';
import type { Logger } from './logger.js';

export interface StartedService {
  logger: Logger;
  /** Graceful stop: stop taking work, finish what is in flight, release connections. */
  close(): Promise<void>;
}

/**
 * Runs an app until SIGTERM/SIGINT, then stops it gracefully and exits 0 (1 when stopping fails or takes longer
 * than `forceExitMs`). Bad configuration or a bad operator file stops start-up with its message and exit 1.
 */
export function runService(
  name: string,
  start: () => Promise<StartedService>,
  options: { forceExitMs?: number } = {},
): void {
  start().then(
    (service) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        service.logger.info('shutting down', { signal });
        const force = setTimeout(() => {
          service.logger.error('shutdown took too long; exiting');
          process.exit(1);
        }, options.forceExitMs ?? 60_000);
        force.unref();
        service.close().then(
          () => process.exit(0),
          (error: unknown) => {
            service.logger.error('shutdown failed', { err: error });
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (error: unknown) => {
      const known = error instanceof ConfigError || error instanceof FileLoadError;
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${name}: ${known ? 'refusing to start: ' : 'failed to start: '}${message}\n`);
      process.exit(1);
    },
  );
}
