import { randomUUID } from 'node:crypto';
import {
  deriveId,
  JOBS,
  MAX_USERS_PER_JOB,
  QUEUES,
  type SweepJob,
  type SyncBatchJob,
  type SyncOrigin,
  type SyncUserJob,
} from '@dirsync/contracts';
import { type JobsOptions, Queue, type QueueOptions } from 'bullmq';
import type { FailedPerson } from './person-run.js';

/**
 * Retries for a batch: exponential backoff with jitter, 2 s doubling over 8 attempts (about 8 minutes in all),
 * long enough to ride out a deploy of the target, short enough that an operator sees a failure the same hour.
 */
export const SYNC_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
  removeOnComplete: { age: 7 * 86_400, count: 10_000 },
  removeOnFail: { age: 30 * 86_400 },
};

export type SyncQueueData = SyncBatchJob | SyncUserJob | SweepJob;

export function createSyncQueue(options: QueueOptions): Queue<SyncQueueData> {
  return new Queue(QUEUES.sync, options);
}

/** Splits ids into chunks of at most 25 (no job and no report covers more people). */
function chunk<T>(items: readonly T[], size = MAX_USERS_PER_JOB): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A few people (no more than one job holds) are spread over up to this many jobs rather than one: one job's people
 * are synced one after another, so a backlog built from many small deliveries needs many jobs for every worker
 * process to take a share (3 processes against a slow target: 2.7× one process's throughput, against 1.6× with
 * one job per group).
 */
export const TRIGGER_SPREAD = 8;

/**
 * The jobs a list of triggers goes out as, in list order: a list that fits one job is spread evenly over up to
 * `TRIGGER_SPREAD` jobs; a longer one fills jobs of 25 (a batch delivery costs no more job writes than before).
 */
export function triggerChunks<T>(items: readonly T[]): T[][] {
  if (items.length > MAX_USERS_PER_JOB) return chunk(items, MAX_USERS_PER_JOB);
  const jobs = Math.min(items.length, TRIGGER_SPREAD);
  return Array.from({ length: jobs }, (_, j) =>
    items.slice(Math.floor((j * items.length) / jobs), Math.floor(((j + 1) * items.length) / jobs)),
  );
}

/**
 * Enqueues sync triggers for people as `triggerChunks` splits the deduplicated list; resolves with the job ids in
 * that order once Redis has acknowledged every job.
 */
export async function addSyncBatches(
  queue: Queue,
  externalIds: readonly string[],
  origin: SyncOrigin,
  extra: { runId?: string } = {},
): Promise<string[]> {
  const unique = [...new Set(externalIds)];
  if (unique.length === 0) return [];
  const jobs = triggerChunks(unique).map((ids) => {
    const data: SyncBatchJob = { externalIds: ids, origin };
    if (extra.runId) data.runId = extra.runId;
    const opts: JobsOptions = { ...SYNC_JOB_OPTIONS, jobId: `batch-${randomUUID()}` };
    // Reconcile fixes wait behind live events: BullMQ serves the plain wait list before prioritized jobs.
    if (origin === 'reconcile') opts.priority = 10;
    return { name: JOBS.syncBatch, data, opts };
  });
  // One job goes in as one script call: BullMQ's addBulk wraps even a single job in a pipeline, twice the CPU.
  const [only] = jobs;
  if (only && jobs.length === 1) return [(await queue.add(only.name, only.data, only.opts)).id as string];
  const added = await queue.addBulk(jobs);
  return added.map((j) => j.id as string);
}

/** The dashboard job of a person whose sync failed for good: one per person, replaced by a newer failure. */
export function failedPersonJobId(externalId: string): string {
  return deriveId('person', externalId);
}

/**
 * Adds the failed job for a person (the first run fails at once with the recorded reason, spending no requests;
 * an operator's retry re-syncs them). A previous failed job for the same person is replaced.
 */
export async function addFailedPersonJob(
  queue: Queue,
  failure: FailedPerson,
  origin: SyncOrigin,
): Promise<void> {
  const jobId = failedPersonJobId(failure.externalId);
  const previous = await queue.getJob(jobId);
  if (previous) {
    const state = await previous.getState();
    if (state === 'active' || state === 'waiting' || state === 'delayed') return;
    await previous.remove().catch(() => {});
  }
  const data: SyncUserJob = {
    externalId: failure.externalId,
    origin,
    failure: {
      code: failure.code,
      message: failure.message,
      rev: failure.rev,
      correlationId: failure.correlationId,
    },
  };
  await queue.add(JOBS.syncUser, data, { ...SYNC_JOB_OPTIONS, attempts: 5, jobId });
}
