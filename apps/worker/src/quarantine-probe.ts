import type { Logger } from '@dirsync/core';
import type { SyncEngine } from '@dirsync/sync';
import type { Queue } from 'bullmq';
import type { WorkerMetrics } from './metrics.js';

/** While the sync is quarantined, probes the target; the first success lifts it and resumes the queue. */
export function startQuarantineProbe(deps: {
  engine: SyncEngine;
  queue: Queue;
  metrics: WorkerMetrics;
  logger: Logger;
  intervalMs: number;
  signal: AbortSignal;
}): () => void {
  const { engine, queue, metrics, logger } = deps;
  const probeOnce = async () => {
    const quarantine = await engine.health.current();
    metrics.quarantined.set(quarantine ? 1 : 0);
    if (!quarantine) return;
    try {
      await engine.probeTarget(deps.signal);
      if (await engine.health.lift()) {
        await queue.resume();
        logger.warn('quarantine lifted: the target answers again; the sync queue resumed', {
          quarantinedSince: quarantine.since,
        });
      }
      metrics.quarantined.set(0);
    } catch (error) {
      logger.warn('quarantine probe failed; still quarantined', { err: error });
    }
  };
  const timer = setInterval(() => {
    probeOnce().catch((error: unknown) => logger.warn('quarantine check failed', { err: error }));
  }, deps.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
