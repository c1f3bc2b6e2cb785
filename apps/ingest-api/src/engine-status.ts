import type { SyncEngine } from '@dirsync/sync';
import type { Queue } from 'bullmq';

/** `GET /admin/status`: quarantine, pending people, the request budget and the queues' counts. */
export async function readStatus(engine: SyncEngine, syncQueue: Queue, reconcileQueue: Queue) {
  const { health, people, budget } = engine;
  return {
    quarantine: (await health.current()) ?? null,
    pendingPeople: await people.pendingCount(),
    budget: {
      limit: budget.limit,
      usedInWindow: await budget.used(),
      pausedForMs: await budget.pausedForMs(),
    },
    queues: {
      sync: await syncQueue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
      reconcile: await reconcileQueue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
    },
  };
}

/** Keeps a one-line quarantine note for the dashboard, refreshed every 5 s. */
export async function watchQuarantine(
  health: SyncEngine['health'],
): Promise<{ note(): string; stop(): void }> {
  let note = '';
  const refresh = async () => {
    const q = await health.current().catch(() => undefined);
    const cause = q?.cause ?? (q?.reason === 'auth' ? 'credentials' : 'server');
    const probe = q?.probeExternalId ? `re-sending the write of ${q.probeExternalId}` : 'a read';
    note = q
      ? `QUARANTINED (${cause}) since ${q.since}: ${q.detail}. Paused until a probe (${probe}) succeeds.`
      : '';
  };
  await refresh();
  const timer = setInterval(() => void refresh(), 5000);
  timer.unref();
  return { note: () => note, stop: () => clearInterval(timer) };
}
