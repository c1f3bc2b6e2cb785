import { ReportStore } from '@dirsync/reports';
import { projectOwned } from '@dirsync/scim';
import type { loadMapping } from '@dirsync/transform';
import { DirectoryIndex } from './directory-index.js';
import { DirectoryIndexBuilder } from './directory-index-builder.js';
import { IndexingTargetCache } from './indexing-target-cache.js';
import { resolveKeptHrFields } from './kept-hr-fields.js';
import { createKeys, type SyncKeys } from './keys.js';
import { RedisManagerWaitClock } from './manager-wait.js';
import { RedisNoteLedger } from './note-ledger.js';
import { PersonStore } from './person-store.js';
import { PersonTimeline, timelineSettings } from './person-timeline.js';
import {
  type DirectoryReader,
  ReconcileRunner,
  type ReconcileRunnerOptions,
} from './reconcile/reconcile-runner.js';
import { RefusalStore } from './refusal-store.js';
import { RequestBudget } from './request-budget.js';
import { ScheduledChanges } from './scheduled-changes.js';
import type { SyncEngineSettings } from './sync-engine-types.js';
import { SyncRecorder } from './sync-recorder.js';
import { TargetCache } from './target-cache.js';
import { createTargetClient } from './target-client.js';
import { TargetHealth } from './target-health.js';

/** The engine's stores and clients, each over the host's Redis. */
export function createParts(settings: SyncEngineSettings, mapping: Awaited<ReturnType<typeof loadMapping>>) {
  const { redis, logger, hooks = {} } = settings;
  const keys = createKeys(settings.prefix);
  const budget = new RequestBudget({
    redis,
    keys,
    limit: settings.requestsPerMinute,
    ...(hooks.onBudgetWait ? { onWait: hooks.onBudgetWait } : {}),
  });
  const health = new TargetHealth({
    redis,
    keys,
    serverFailureWindowMs: settings.targetFailureWindowMs ?? 0,
    ...(hooks.onQuarantine ? { onQuarantine: hooks.onQuarantine } : {}),
  });
  const client = createTargetClient(settings.target, {
    budget,
    userAgent: settings.userAgent,
    logger,
    onResponse: hooks.onTargetResponse && ((info) => hooks.onTargetResponse?.(info, 'live')),
  });
  // The console timeline keeps entries as long as reports are kept (REPORT_RETENTION_DAYS).
  const timeline = new PersonTimeline({
    redis,
    keys,
    settings: timelineSettings(settings.reportRetentionDays),
    ...(settings.now ? { now: settings.now } : {}),
  });
  const people = new PersonStore({
    redis,
    keys,
    timeline: timeline.settings,
    ...(settings.lockTtlMs ? { lockTtlMs: settings.lockTtlMs } : {}),
    ...(settings.personStateRetentionDays
      ? { retentionMs: settings.personStateRetentionDays * 86_400_000 }
      : {}),
    keptFields: resolveKeptHrFields(mapping, settings.hrFields),
  });
  const { directoryIndex, reader, indexBuilder } = createDirectoryIndex(settings, budget, mapping.owned);
  // Every cache write the sync makes keeps the index current too.
  const cache = new IndexingTargetCache(new TargetCache({ redis, keys }), directoryIndex);
  const schedule = new ScheduledChanges({
    redis,
    keys,
    prehireDays: settings.prehireDays ?? 0,
    timeline: timeline.settings,
  });
  const reports = new ReportStore({
    redis,
    prefix: settings.prefix,
    retentionDays: settings.reportRetentionDays,
    ...(settings.auditLogPath ? { auditLogPath: settings.auditLogPath } : {}),
  });
  const refusals = new RefusalStore({ redis, keys });
  const recorder = new SyncRecorder({ redis, keys, timeline: timeline.settings, now: settings.now, logger });
  return {
    keys,
    timeline,
    recorder,
    budget,
    health,
    client,
    reader,
    people,
    cache,
    schedule,
    reports,
    refusals,
    directoryIndex,
    indexBuilder,
  };
}

export const DAY_MS = 24 * 3_600_000;

/** What the syncer and the sweeper share for HR feed cases: once-only notes, the manager wait clock, the clock. */
export function createFeedParts(settings: SyncEngineSettings, keys: SyncKeys) {
  const { redis } = settings;
  return {
    notes: new RedisNoteLedger({ redis, keys }),
    managerWaits: new RedisManagerWaitClock({ redis, keys }),
    outOfScope: settings.outOfScope ?? ('deactivate' as const),
    now: settings.now ?? Date.now,
  };
}

/** The reconcile runner, when the settings ask for reconcile; it reads through the background reader. */
export function createReconcile(
  settings: SyncEngineSettings,
  reader: DirectoryReader,
  parts: Pick<
    ReconcileRunnerOptions,
    | 'mapping'
    | 'policy'
    | 'people'
    | 'cache'
    | 'reports'
    | 'indexBuilder'
    | 'prehires'
    | 'refusals'
    | 'phoneRegion'
    | 'timeline'
  >,
): ReconcileRunner | undefined {
  const { reconcile: options, hooks = {}, logger } = settings;
  if (!options) return undefined;
  return new ReconcileRunner({
    ...parts,
    snapshotSource: options.snapshotSource,
    snapshotOptions: {
      requireHttps: options.requireHttps ?? false,
      ...(options.maxDownloadBytes ? { maxDownloadBytes: options.maxDownloadBytes } : {}),
    },
    reader,
    protectedUsers: settings.protectedUsers ?? [],
    timeZone: settings.hrTimeZone,
    brake: { maxPercent: options.maxDeactivatePercent, maxCount: options.maxDeactivateCount },
    outOfScope: settings.outOfScope ?? 'deactivate',
    enqueue: async (ids, runId) => {
      await hooks.requestSync?.(ids, 'reconcile', runId);
    },
    ...(logger ? { logger } : {}),
  });
}

const DEFAULT_DIRECTORY_INDEX_MAX_AGE_MS = 24 * 3_600_000;

/** The directory index, the background reader of whole-directory pages, and the index builder on top of it. */
function createDirectoryIndex(
  settings: SyncEngineSettings,
  budget: RequestBudget,
  mappingOwned: readonly string[],
) {
  const { hooks = {}, logger } = settings;
  const directoryIndex = new DirectoryIndex({
    redis: settings.redis,
    prefix: settings.prefix,
    maxAgeMs: settings.directoryIndexMaxAgeMs ?? DEFAULT_DIRECTORY_INDEX_MAX_AGE_MS,
  });
  // Whole-directory reads (reconcile, index builds) go at background priority: live events keep most of the budget.
  const reader = createTargetClient(settings.target, {
    budget,
    priority: 'background',
    userAgent: 'dirsync-reconcile',
    logger,
    onResponse: hooks.onTargetResponse && ((info) => hooks.onTargetResponse?.(info, 'background')),
  });
  const owned = [...new Set([...mappingOwned, 'externalId'])];
  const indexBuilder = new DirectoryIndexBuilder({
    index: directoryIndex,
    reader,
    owned,
    project: (user) => projectOwned(user, { owned }),
    logger,
  });
  return { directoryIndex, reader, indexBuilder };
}
