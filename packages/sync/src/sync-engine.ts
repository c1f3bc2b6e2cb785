import { loadPolicy } from '@dirsync/policy';
import { loadMapping } from '@dirsync/transform';
import { BatchDraftStore } from './batch-draft-store.js';
import { BatchRunner } from './batch-runner.js';
import type { DirectoryIndex } from './directory-index.js';
import { createFeedParts, createParts, createReconcile, DAY_MS } from './engine-parts.js';
import { reportMissingManagers } from './missing-managers.js';
import { PersonSyncer, type PersonSyncerOptions } from './person-syncer.js';
import { previewEvent } from './preview.js';
import { ScheduleRunner } from './schedule-runner.js';
import type { SyncEngine, SyncEngineSettings } from './sync-engine-types.js';

export type { SyncEngine, SyncEngineHooks, SyncEngineSettings } from './sync-engine-types.js';

/**
 * Builds the sync engine: person store, target cache, request budget, target health, target clients, the
 * person syncer, the batch and reconcile runners and the preview. Loads the mapping and policy files once.
 */
export async function createSyncEngine(settings: SyncEngineSettings): Promise<SyncEngine> {
  const { redis, logger, hooks = {} } = settings;
  const mapping = await loadMapping(settings.mappingFile ? { file: settings.mappingFile } : {});
  const policy = await loadPolicy(settings.policyFile ? { file: settings.policyFile } : {});
  const parts = createParts(settings, mapping);
  const { keys, budget, health, client, reader, people, cache, schedule, reports } = parts;
  const feed = createFeedParts(settings, keys);
  // `index` reaches the UserLocator, which reads it only while it is fresh.
  const syncerOptions: PersonSyncerOptions & { index: DirectoryIndex } = {
    index: parts.directoryIndex,
    target: client,
    mapping,
    policy,
    cache,
    people,
    waitlist: people,
    prehires: schedule,
    ...feed,
    protectedUsers: settings.protectedUsers ?? [],
    ...(logger ? { logger } : {}),
    onRateLimited: async (ms) => {
      await Promise.all([budget.pauseFor(ms), hooks.onRateLimited?.(ms)]);
    },
    onTargetHealth: (ok) => (ok ? health.healthy() : health.failing()),
  };
  const syncer = new PersonSyncer(syncerOptions);
  const batches = new BatchRunner({
    people,
    drafts: new BatchDraftStore({ redis, keys }),
    syncer,
    reports,
    health,
    ...(logger ? { logger } : {}),
    quietPeriodMs: settings.quietPeriodMs ?? 0,
    onResync: async (ids) => {
      await hooks.requestSync?.(ids, 'manager');
    },
  });
  const reconcile = createReconcile(settings, reader, {
    mapping,
    policy,
    people,
    cache,
    reports,
    prehires: schedule,
    indexBuilder: parts.indexBuilder,
  });
  const missing = { ...feed, people, mapping, cache, reports, waitMs: settings.managerWaitMs ?? DAY_MS };
  return {
    people,
    reports,
    budget,
    health,
    syncer,
    batches,
    schedule,
    createScheduleRunner: (options = {}) =>
      new ScheduleRunner({
        schedule,
        people,
        requestSync: async (ids) => {
          await hooks.requestSync?.(ids, 'schedule');
        },
        leaseMs: settings.lockTtlMs ?? 30_000,
        logger,
        ...options,
      }),
    reconcile,
    directoryIndex: parts.directoryIndex,
    indexBuilder: parts.indexBuilder,
    preview: (event) => previewEvent(event, syncerOptions, schedule),
    reportMissingManagers: () => reportMissingManagers(missing),
    probeTarget: async (signal) => {
      await client.probe(signal ? { signal } : {});
    },
    close: () => {
      client.close?.();
      reader.close?.();
    },
  };
}
