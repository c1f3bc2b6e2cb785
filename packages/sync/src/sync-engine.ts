import type { HrEvent, SyncOrigin } from '@dirsync/contracts';
import type { Logger } from '@dirsync/core';
import { loadPolicy } from '@dirsync/policy';
import { ReportStore } from '@dirsync/reports';
import type { ScimResponseInfo } from '@dirsync/scim';
import { loadMapping } from '@dirsync/transform';
import type { Cluster, Redis } from 'ioredis';
import { BatchDraftStore } from './batch-draft-store.js';
import { BatchRunner } from './batch-runner.js';
import { createKeys } from './keys.js';
import { PersonStore } from './person-store.js';
import { PersonSyncer, type PersonSyncerOptions } from './person-syncer.js';
import { type PreviewResult, previewEvent } from './preview.js';
import { ReconcileRunner } from './reconcile/reconcile-runner.js';
import { type BudgetPriority, RequestBudget } from './request-budget.js';
import type { SyncMapping, SyncPolicy } from './sync-ports.js';
import { TargetCache } from './target-cache.js';
import { createTargetClient, type TargetSettings } from './target-client.js';
import { type Quarantine, TargetHealth } from './target-health.js';

/** What the engine tells its host (the worker's queues and metrics, the API); every hook is optional. */
export interface SyncEngineHooks {
  /** Sync triggers for people whose state changed inside the engine (a manager now exists, a reconcile fix). */
  requestSync?: (
    externalIds: string[],
    origin: Extract<SyncOrigin, 'manager' | 'reconcile'>,
    runId?: string,
  ) => Promise<void>;
  /** The target answered 429: the budget is already paused; the host stops new jobs too. */
  onRateLimited?: (retryAfterMs: number) => Promise<void>;
  /** Called once, by the process that started a quarantine. */
  onQuarantine?: (quarantine: Quarantine) => Promise<void> | void;
  onBudgetWait?: (ms: number) => void;
  onTargetResponse?: (info: ScimResponseInfo, priority: BudgetPriority) => void;
}

/** Everything the engine needs; the apps map their environment onto it. */
export interface SyncEngineSettings {
  /** The command connection; the host owns it and closes it after the engine. */
  redis: Redis | Cluster;
  /** Key prefix of every engine key (`QUEUE_PREFIX`). */
  prefix: string;
  target: TargetSettings;
  /** Target requests per minute, all processes together. */
  requestsPerMinute: number;
  /** Mapping and policy files (absent: the built-in defaults); a bad file rejects here, at start-up. */
  mappingFile?: string | undefined;
  policyFile?: string | undefined;
  /** externalIds and userNames never deactivated. */
  protectedUsers?: readonly string[] | undefined;
  /** Lifetime of a person's sync lock (renewed while syncing). Default 30 s. */
  lockTtlMs?: number | undefined;
  /** How long a person's newest change must rest before it is written (0: at once). */
  quietPeriodMs?: number | undefined;
  /** 5xx/network failures lasting this long without a success quarantine the sync (0: never from here). */
  targetFailureWindowMs?: number | undefined;
  reportRetentionDays: number;
  auditLogPath?: string | undefined;
  /** Reconcile against an HR snapshot (absent: no reconcile runner). */
  reconcile?:
    | { snapshotSource: string; maxDeactivatePercent: number; maxDeactivateCount?: number | undefined }
    | undefined;
  /** Sent as User-Agent by the live client (the reconcile reader says `dirsync-reconcile`). */
  userAgent: string;
  logger?: Logger | undefined;
  hooks?: SyncEngineHooks | undefined;
}

/** The sync engine's object graph, built once per process by {@link createSyncEngine}. */
export interface SyncEngine {
  people: PersonStore;
  reports: ReportStore;
  budget: RequestBudget;
  health: TargetHealth;
  syncer: PersonSyncer;
  batches: BatchRunner;
  /** Present when `settings.reconcile` is. */
  reconcile: ReconcileRunner | undefined;
  /** The SCIM requests an event would cause, with this engine's mapping, policy and diff; nothing is applied. */
  preview(event: HrEvent): Promise<PreviewResult>;
  /** One cheap authenticated read: resolves when the target answers again (quarantine probes). */
  probeTarget(signal?: AbortSignal): Promise<void>;
  /** Closes the target clients (not Redis, which belongs to the host). */
  close(): void;
}

/**
 * Builds the sync engine: person store, target cache, request budget, target health, target clients, the
 * person syncer, the batch and reconcile runners and the preview. Loads the mapping and policy files once.
 */
export async function createSyncEngine(settings: SyncEngineSettings): Promise<SyncEngine> {
  const { redis, logger, hooks = {} } = settings;
  const mapping = await loadMapping(settings.mappingFile ? { file: settings.mappingFile } : {});
  const policy = await loadPolicy(settings.policyFile ? { file: settings.policyFile } : {});
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
  const people = new PersonStore({
    redis,
    keys,
    ...(settings.lockTtlMs ? { lockTtlMs: settings.lockTtlMs } : {}),
  });
  const cache = new TargetCache({ redis, keys });
  const reports = new ReportStore({
    redis,
    prefix: settings.prefix,
    retentionDays: settings.reportRetentionDays,
    ...(settings.auditLogPath ? { auditLogPath: settings.auditLogPath } : {}),
  });
  const syncerOptions: PersonSyncerOptions = {
    target: client,
    mapping,
    policy,
    cache,
    people,
    waitlist: people,
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
  const reconcile = createReconcile(settings, { budget, mapping, policy, people, cache, reports });
  return {
    people,
    reports,
    budget,
    health,
    syncer,
    batches,
    reconcile: reconcile?.runner,
    preview: (event) => previewEvent(event, syncerOptions),
    probeTarget: async (signal) => {
      await client.probe(signal ? { signal } : {});
    },
    close: () => {
      client.close?.();
      reconcile?.close();
    },
  };
}

/** The reconcile runner and its reader, when the settings ask for reconcile. */
function createReconcile(
  settings: SyncEngineSettings,
  parts: {
    budget: RequestBudget;
    mapping: SyncMapping;
    policy: SyncPolicy;
    people: PersonStore;
    cache: TargetCache;
    reports: ReportStore;
  },
): { runner: ReconcileRunner; close(): void } | undefined {
  const { reconcile: options, hooks = {}, logger } = settings;
  if (!options) return undefined;
  // Reconcile reads through its own client at background priority: live events keep most of the budget.
  const reader = createTargetClient(settings.target, {
    budget: parts.budget,
    priority: 'background',
    userAgent: 'dirsync-reconcile',
    logger,
    onResponse: hooks.onTargetResponse && ((info) => hooks.onTargetResponse?.(info, 'background')),
  });
  const runner = new ReconcileRunner({
    ...parts,
    snapshotSource: options.snapshotSource,
    reader,
    protectedUsers: settings.protectedUsers ?? [],
    brake: { maxPercent: options.maxDeactivatePercent, maxCount: options.maxDeactivateCount },
    enqueue: async (ids, runId) => {
      await hooks.requestSync?.(ids, 'reconcile', runId);
    },
    ...(logger ? { logger } : {}),
  });
  return { runner, close: () => reader.close?.() };
}
