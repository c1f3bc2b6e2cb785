import { z } from 'zod';

/** BullMQ queue names (under `QUEUE_PREFIX`). */
export const QUEUES = {
  /** Per-person sync work: batches from the API, single-person retries, the sweeper. */
  sync: 'sync',
  /** Full comparisons against the HR snapshot, one at a time. */
  reconcile: 'reconcile',
  /** Directory index builds (a paged read of every target user), one at a time. */
  directoryIndex: 'directory-index',
} as const;

export const JOBS = {
  syncBatch: 'sync-batch',
  syncUser: 'sync-user',
  sweep: 'sweep',
  reconcile: 'reconcile',
  buildIndex: 'build-index',
} as const;

/** No job and no report covers more people than this (Genesys pages are 25 users too). */
export const MAX_USERS_PER_JOB = 25;

const externalId = z.string().min(1).max(256);

/** Why a sync was asked for; shown in reports and the dashboard. */
export const SYNC_ORIGINS = ['webhook', 'retry', 'sweep', 'manager', 'reconcile', 'schedule'] as const;
export type SyncOrigin = (typeof SYNC_ORIGINS)[number];

/**
 * A trigger to sync up to 25 people. It carries only ids: each person's newest state lives in Redis, so a job is
 * never the only copy of an event and can be retried or coalesced freely.
 */
export const syncBatchJobSchema = z.object({
  externalIds: z
    .array(externalId)
    .min(1)
    .max(MAX_USERS_PER_JOB)
    .refine((ids) => new Set(ids).size === ids.length, { error: 'must not repeat an externalId' }),
  origin: z.enum(SYNC_ORIGINS),
  /** The reconcile run that asked for it, when origin is `reconcile`. */
  runId: z.string().optional(),
});
export type SyncBatchJob = z.infer<typeof syncBatchJobSchema>;

/**
 * One person whose sync failed for good inside a batch: a failed job in the dashboard whose retry re-syncs them.
 * `failure` records why, so the first run can fail with that reason without spending requests again.
 */
export const syncUserJobSchema = z.object({
  externalId,
  origin: z.enum(SYNC_ORIGINS),
  failure: z
    .object({
      code: z.string(),
      message: z.string(),
      /** The person's state revision that failed; a newer one is worth a real attempt. */
      rev: z.number().int(),
      correlationId: z.string().optional(),
    })
    .optional(),
});
export type SyncUserJob = z.infer<typeof syncUserJobSchema>;

export const sweepJobSchema = z.object({}).strict();
export type SweepJob = z.infer<typeof sweepJobSchema>;

/** A count of deactivations an operator confirmed: what the last dry run reported. */
const deactivationCount = z
  .number({ error: 'must be a whole number, 0 or more' })
  .int({ error: 'must be a whole number, 0 or more' })
  .min(0, { error: 'must be a whole number, 0 or more' });

export const reconcileJobSchema = z.object({
  apply: z.boolean().default(false),
  overrideBrake: z.boolean().default(false),
  /**
   * With `overrideBrake`: the number of deactivations the operator confirmed. A run that would deactivate any
   * other number keeps the brake (absent, as in jobs queued before it existed: the override is unconditional).
   */
  expectedDeactivations: deactivationCount.optional(),
  /** `api` or `cron`. */
  trigger: z.enum(['api', 'cron']).default('api'),
});
export type ReconcileJob = z.infer<typeof reconcileJobSchema>;

/**
 * The body of `POST /admin/reconcile`: `{}` (dry run), `{"apply": true}`, or `{"apply": true, "overrideBrake":
 * true, "expectedDeactivations": n}` — an override names the number of deactivations it confirms.
 */
export const reconcileRequestSchema = z
  .object({
    apply: z.boolean({ error: 'must be true or false' }).optional(),
    overrideBrake: z.boolean({ error: 'must be true or false' }).optional(),
    expectedDeactivations: deactivationCount.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.overrideBrake && !body.apply) {
      ctx.addIssue({
        code: 'custom',
        path: ['overrideBrake'],
        message: 'only makes sense with apply: true',
      });
    }
    if (body.overrideBrake && body.expectedDeactivations === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['expectedDeactivations'],
        message:
          'required with overrideBrake: the number of deactivations the last dry run reported (its brake.wouldDeactivate)',
      });
    }
    if (!body.overrideBrake && body.expectedDeactivations !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['expectedDeactivations'],
        message: 'only makes sense with overrideBrake: true',
      });
    }
  });
