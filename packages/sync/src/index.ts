export {
  type BatchInput,
  type BatchResult,
  BatchRunner,
  type BatchRunnerOptions,
  type FailedPerson,
} from './batch-runner.js';
export { commonEnv, loginUrlFor, syncEnv, targetEnv } from './env.js';
export { createKeys, type SyncKeys } from './keys.js';
export {
  IDEMPOTENCY_TTL_SECONDS,
  type IncomingEvent,
  type IngestStatus,
  type PersonLock,
  type PersonState,
  PersonStore,
} from './person-store.js';
export {
  foldEvent,
  type PlannedRequest,
  type PreviewResult,
  previewEvent,
  RecordingTarget,
} from './preview.js';
export {
  type CompareDirectoryInput,
  compareDirectory,
  type DirectoryComparison,
  type DriftedPerson,
  type OrphanUser,
} from './reconcile/compare-directory.js';
export { type HrSnapshot, loadSnapshot, SnapshotError } from './reconcile/load-snapshot.js';
export {
  type DirectoryReader,
  type ReconcileProgress,
  type ReconcileRequest,
  type ReconcileResult,
  ReconcileRunner,
  type ReconcileRunnerOptions,
} from './reconcile/reconcile-runner.js';
export {
  type BudgetPriority,
  DEFAULT_BUDGET_WINDOW_MS,
  RequestBudget,
  type RequestBudgetOptions,
} from './request-budget.js';
export { ConflictExhaustedError, SyncInterruptedError, UserNameTakenError } from './sync-errors.js';
export {
  PersonSyncer,
  type PersonSyncerOptions,
  type PersonSyncResult,
  type RequestContext,
  type ScimTarget,
  type SyncMapping,
  type SyncPolicy,
} from './sync-person.js';
export {
  addFailedPersonJob,
  addSyncBatches,
  chunk,
  createSyncQueue,
  failedPersonJobId,
  SYNC_JOB_OPTIONS,
  type SyncQueueData,
} from './sync-queue.js';
export { type CachedTarget, TargetCache } from './target-cache.js';
export { createTargetClient, type TargetSettings } from './target-client.js';
export { type Quarantine, TargetHealth, type TargetHealthOptions } from './target-health.js';
