import type { HrEvent, SyncOrigin } from '@dirsync/contracts';
import type { Logger } from '@dirsync/core';
import type { Report, ReportStore } from '@dirsync/reports';
import type { ScimResponseInfo } from '@dirsync/scim';
import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { BatchRunner } from './batch-runner.js';
import type { ConsoleReader } from './console-view.js';
import type { DirectoryIndex } from './directory-index.js';
import type { DirectoryIndexBuilder } from './directory-index-builder.js';
import type { OutOfScopeMode } from './out-of-scope.js';
import type { PersonStore } from './person-store.js';
import type { PersonSyncer } from './person-syncer.js';
import type { PersonTimeline } from './person-timeline.js';
import type { PreviewResult } from './preview.js';
import type { ReconcileRunner } from './reconcile/reconcile-runner.js';
import type { BudgetPriority, RequestBudget } from './request-budget.js';
import type { ScheduleRunner, ScheduleRunnerOptions } from './schedule-runner.js';
import type { ScheduledChanges } from './scheduled-changes.js';
import type { TargetSettings } from './target-client.js';
import type { Quarantine, TargetHealth } from './target-health.js';

/** What the engine tells its host (the worker's queues and metrics, the API); every hook is optional. */
export interface SyncEngineHooks {
  /** Sync triggers for people whose state changed inside the engine (a manager now exists, a reconcile fix). */
  requestSync?: (
    externalIds: string[],
    origin: Extract<SyncOrigin, 'manager' | 'reconcile' | 'schedule'>,
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
  /** Days before a future hire's start that the user is created, inactive (`PREHIRE_DAYS`; default 0). */
  prehireDays?: number | undefined;
  /** IANA zone of `effectiveAt` dates without a time, in snapshots too (`HR_TIMEZONE`; default UTC). */
  hrTimeZone?: string | undefined;
  /** How long a person's newest change must rest before it is written (0: at once). */
  quietPeriodMs?: number | undefined;
  /** 5xx/network failures lasting this long without a success quarantine the sync (0: never from here). */
  targetFailureWindowMs?: number | undefined;
  /** `DEFAULT_PHONE_REGION`: ISO 3166 code for phone numbers written without a country code. */
  phoneRegion?: string | undefined;
  /** 403s on writes for this many different people in a row quarantine the sync (`AUTH_QUARANTINE_AFTER_PEOPLE`, default 5). */
  authQuarantineAfterPeople?: number | undefined;
  reportRetentionDays: number;
  /**
   * HR fields to keep besides those the mapping and the engine read (`HR_FIELDS`); required when the mapping
   * reads the record as a whole. Every other HR field is dropped at intake.
   */
  hrFields?: readonly string[] | undefined;
  /** A deactivated person's state is cut to a tombstone this long after the deactivation was applied (default 90). */
  personStateRetentionDays?: number | undefined;
  /** How long a built directory index is trusted to say "not in the target" (`DIRECTORY_INDEX_MAX_AGE`; 24 h). */
  directoryIndexMaxAgeMs?: number | undefined;
  auditLogPath?: string | undefined;
  /** Reconcile against an HR snapshot (absent: no reconcile runner). */
  reconcile?:
    | {
        snapshotSource: string;
        maxDeactivatePercent: number;
        maxDeactivateCount?: number | undefined;
        /** Refuse a plain-http snapshot URL (the apps set it in production). */
        requireHttps?: boolean | undefined;
        /** Byte cap of a snapshot download (default: load-snapshot's). */
        maxDownloadBytes?: number | undefined;
      }
    | undefined;
  /** Sent as User-Agent by the live client (the reconcile reader says `dirsync-reconcile`). */
  userAgent: string;
  /** MANAGER_WAIT_HOURS in ms: a manager missing this long is reported once. Default 24 h. */
  managerWaitMs?: number | undefined;
  /** OUT_OF_SCOPE: what happens to a synced person whose record no longer maps. Default `deactivate`. */
  outOfScope?: OutOfScopeMode | undefined;
  /** The clock (epoch ms); injectable so tests need no sleeps. Default `Date.now`. */
  now?: (() => number) | undefined;
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
  /** Future-dated change sets, by person and effective time. */
  schedule: ScheduledChanges;
  /** A runner that applies due change sets and triggers their syncs (the worker starts one). */
  createScheduleRunner(
    options?: Partial<Pick<ScheduleRunnerOptions, 'pollMs' | 'leaseMs' | 'batchSize' | 'now' | 'afterApply'>>,
  ): ScheduleRunner;
  /** Present when `settings.reconcile` is. */
  reconcile: ReconcileRunner | undefined;
  /** The directory index (age and size) and its builder (a paged read of the whole target). */
  directoryIndex: DirectoryIndex;
  indexBuilder: DirectoryIndexBuilder;
  /** The SCIM requests an event would cause, with this engine's mapping, policy and diff; nothing is applied. */
  preview(event: HrEvent): Promise<PreviewResult>;
  /** Each person's console timeline (events, syncs, failures, reconcile findings, re-syncs). */
  timeline: PersonTimeline;
  /**
   * The operator console's reads and actions (overview, people search, person page, re-sync, retry) over this
   * engine and the sync queue (`createSyncQueue`, the one the API enqueues on).
   */
  console(queue: Queue): ConsoleReader;
  /** Reports, once each, people whose manager is still missing after the wait (the sweeper calls it). */
  reportMissingManagers(): Promise<Report | undefined>;
  /**
   * Tests what a quarantine stopped on: for a write quarantine, re-sends the oldest refused person's write; else
   * one cheap authenticated read. Resolves when the target takes it.
   */
  probeTarget(signal?: AbortSignal): Promise<void>;
  /** Closes the target clients (not Redis, which belongs to the host). */
  close(): void;
}
