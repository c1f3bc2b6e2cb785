export type { BatchResult } from './batch-runner.js';
export { type ConsoleSources, createConsoleReader } from './console-reader.js';
export type * from './console-view.js';
export { type EffectiveIngestStatus, ingestEffective, ingestEffectiveDelivery } from './effective-intake.js';
export { IdempotencyConflictError } from './idempotency-conflict.js';
export { hashEventAsSent, toIncomingEvent } from './incoming-event.js';
export { createKeys, type SyncKeys } from './keys.js';
export type { OutOfScopeMode } from './out-of-scope.js';
export type { IncomingEvent, IngestStatus } from './person-state.js';
export { type IngestDelivery, PersonStore } from './person-store.js';
export { PersonTimeline, TIMELINE_CAP, type TimelineSettings, timelineSettings } from './person-timeline.js';
export type { PreviewResult } from './preview.js';
export { SnapshotError } from './reconcile/load-snapshot.js';
export type { PlannedRequest } from './recording-target.js';
export { ScheduleRunner } from './schedule-runner.js';
export { ScheduledChanges, type ScheduledEntry, type ScheduleStatus } from './scheduled-changes.js';
export {
  createSyncEngine,
  type SyncEngine,
  type SyncEngineHooks,
  type SyncEngineSettings,
} from './sync-engine.js';
export { SyncInterruptedError } from './sync-errors.js';
export {
  addFailedPersonJob,
  addSyncBatches,
  addSyncJobs,
  createSyncQueue,
  failedPersonJobId,
  packTriggers,
} from './sync-queue.js';
export type { TargetSettings } from './target-client.js';
export type { Quarantine } from './target-health.js';
