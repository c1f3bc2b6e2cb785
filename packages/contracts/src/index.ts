export {
  type EffectiveAtResult,
  effectiveAtOutOfRange,
  isValidTimeZone,
  MAX_EFFECTIVE_AHEAD_MS,
  parseEffectiveAt,
  zonedMidnight,
} from './effective-at.js';
export {
  EVENT_TYPES,
  type EventType,
  eventIdSchema,
  type HrEvent,
  type HrRecord,
  hrEventSchema,
  hrRecordSchema,
  MAX_EVENTS_PER_REQUEST,
  MAX_FUTURE_SKEW_MS,
  webhookBodySchema,
} from './events.js';
export { deriveId, hashJson, idempotencyKey } from './ids.js';
export { compareInstants, type IsoInstant, type IsoInstantResult, parseIsoInstant } from './iso-instant.js';
export {
  JOBS,
  MAX_USERS_PER_JOB,
  QUEUES,
  type ReconcileJob,
  reconcileJobSchema,
  reconcileRequestSchema,
  type SweepJob,
  SYNC_ORIGINS,
  type SyncBatchJob,
  type SyncOrigin,
  type SyncUserJob,
  sweepJobSchema,
  syncBatchJobSchema,
  syncUserJobSchema,
} from './jobs.js';
