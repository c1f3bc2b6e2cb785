import type { Logger } from '@dirsync/core';
import type { SyncEngine } from '@dirsync/sync';
import type { Queue } from 'bullmq';
import { quarantineCause } from './engine-settings.js';
import type { WorkerMetrics } from './metrics.js';

/** The wait before the next probe: doubled after a failed one, up to `maxMs`; back to `baseMs` otherwise. */
export function nextProbeDelay(previousMs: number, failed: boolean, baseMs: number, maxMs: number): number {
  return failed ? Math.min(Math.max(previousMs, baseMs) * 2, Math.max(maxMs, baseMs)) : baseMs;
}

/**
 * While the sync is quarantined, probes what failed (a write quarantine re-sends the oldest refused person's
 * write; otherwise one read); the first success lifts it and resumes the queue. Failed probes back off up to
 * `maxIntervalMs`, so a quarantine cannot flap.
 */
export function startQuarantineProbe(deps: {
  engine: SyncEngine;
  queue: Queue;
  metrics: WorkerMetrics;
  logger: Logger;
  intervalMs: number;
  maxIntervalMs?: number;
  signal: AbortSignal;
}): () => void {
  const { engine, queue, metrics, logger, intervalMs } = deps;
  const maxMs = deps.maxIntervalMs ?? intervalMs;
  let delayMs = intervalMs;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** Resolves whether the probe failed. */
  const probeOnce = async (): Promise<boolean> => {
    const quarantine = await engine.health.current();
    metrics.quarantined.set(quarantine ? 1 : 0);
    if (!quarantine) return false;
    try {
      await engine.probeTarget(deps.signal);
      if (await engine.health.lift()) {
        await queue.resume();
        metrics.quarantineExits.inc({ cause: quarantineCause(quarantine) });
        logger.warn('quarantine lifted: the target answers again; the sync queue resumed', {
          quarantinedSince: quarantine.since,
          cause: quarantineCause(quarantine),
        });
      }
      metrics.quarantined.set(0);
      return false;
    } catch (error) {
      const targetCorrelationId = (error as { targetCorrelationId?: unknown }).targetCorrelationId;
      logger.warn('quarantine probe failed; still quarantined', {
        err: error,
        cause: quarantineCause(quarantine),
        ...(typeof targetCorrelationId === 'string' ? { targetCorrelationId } : {}),
        nextProbeSeconds: Math.round(nextProbeDelay(delayMs, true, intervalMs, maxMs) / 1000),
      });
      return true;
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      probeOnce()
        .catch((error: unknown) => {
          logger.warn('quarantine check failed', { err: error });
          return true;
        })
        .then((failed) => {
          delayMs = nextProbeDelay(delayMs, failed, intervalMs, maxMs);
          schedule();
        });
    }, delayMs);
    timer.unref();
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
