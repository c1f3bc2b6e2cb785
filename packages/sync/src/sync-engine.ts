import { DirsyncError } from '@dirsync/core';
import { loadPolicy } from '@dirsync/policy';
import { loadMapping, phoneRegionSchema } from '@dirsync/transform';
import { BatchDraftStore } from './batch-draft-store.js';
import { BatchRunner } from './batch-runner.js';
import { createConsoleReader } from './console-reader.js';
import { createFeedParts, createParts, createReconcile, DAY_MS } from './engine-parts.js';
import { syncerOptionsFor } from './engine-syncer-options.js';
import { reportMissingManagers } from './missing-managers.js';
import { PersonSyncer } from './person-syncer.js';
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
  const phoneRegion = readPhoneRegion(settings.phoneRegion);
  const mapping = await loadMapping(settings.mappingFile ? { file: settings.mappingFile } : {});
  const policy = await loadPolicy(settings.policyFile ? { file: settings.policyFile } : {});
  const parts = createParts(settings, mapping);
  const { keys, budget, health, client, reader, people, cache, schedule, reports, refusals, timeline } =
    parts;
  const feed = createFeedParts(settings, keys);
  const syncerOptions = syncerOptionsFor(settings, parts, feed, { mapping, policy, phoneRegion });
  const syncer = new PersonSyncer(syncerOptions);
  const batches = new BatchRunner({
    people,
    drafts: new BatchDraftStore({ redis, keys }),
    syncer,
    reports,
    health,
    budget,
    recorder: parts.recorder,
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
    refusals,
    phoneRegion,
    timeline,
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
    timeline,
    console: (queue) =>
      createConsoleReader({
        ...parts,
        redis,
        target: client,
        syncer: syncerOptions,
        queue,
        now: settings.now,
      }),
    reportMissingManagers: () => reportMissingManagers(missing),
    probeTarget: async (signal) => {
      const person = (await health.current())?.probeExternalId;
      const state = person ? await people.get(person) : undefined;
      if (!state) return void (await client.probe(signal ? { signal } : {}));
      const result = await syncer.sync(state, signal ? { signal } : {});
      if (result.kind === 'failed') throw result.error;
    },
    close: () => {
      client.close?.();
      reader.close?.();
    },
  };
}

/** `DEFAULT_PHONE_REGION`, checked against the phone library's regions: a typo refuses to start. */
function readPhoneRegion(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const parsed = phoneRegionSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const why = parsed.error.issues.map((issue) => issue.message).join('; ');
  throw new DirsyncError('invalid_env', `DEFAULT_PHONE_REGION ${why}`, { retryable: false });
}
