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
 * Deliveries that arrive together are spread over up to this many jobs rather than one: one job's people are
 * synced one after another, so a backlog built from many small deliveries needs many jobs for every worker process
 * to take a share (3 processes against a slow target: 2.7× one process's throughput, against 1.6× with one job per
 * group).
 */
export const TRIGGER_SPREAD = 8;

/**
 * The jobs the triggers of deliveries that arrive together go out as, in order. A delivery's people stay in one
 * job (up to 25; more fill jobs of 25 of their own): people in one webhook may depend on each other, such as two
 * who trade e-mail addresses, and a batch resolves that among its own people. Deliveries are packed into at least
 * `TRIGGER_SPREAD` jobs when there are that many, evenly, at most 25 people to a job.
 */
export function packTriggers(deliveries: ReadonlyArray<readonly string[]>): string[][] {
  const total = deliveries.reduce((n, d) => n + d.length, 0);
  const count = deliveries.filter((d) => d.length > 0).length;
  // The people a job should hold for the jobs to number at least TRIGGER_SPREAD (or one per delivery).
  const target = total / Math.max(Math.ceil(total / MAX_USERS_PER_JOB), Math.min(count, TRIGGER_SPREAD));
  const jobs: string[][] = [];
  let current: string[] = [];
  for (const delivery of deliveries) {
    if (delivery.length === 0) continue;
    const alone = delivery.length > MAX_USERS_PER_JOB;
    if (current.length > 0 && (alone || current.length + delivery.length > target)) {
      jobs.push(current);
      current = [];
    }
    if (alone) jobs.push(...chunk(delivery));
    else current.push(...delivery);
  }
  if (current.length > 0) jobs.push(current);
  return jobs;
}

/**
 * Enqueues sync triggers for people, 25 per job (job `i` carries people `25 i … 25 i + 24` of the deduplicated
 * list); resolves with the job ids in that order once Redis has acknowledged every job.
 */
export async function addSyncBatches(
  queue: Queue,
  externalIds: readonly string[],
  origin: SyncOrigin,
  extra: { runId?: string } = {},
): Promise<string[]> {
  return addSyncJobs(queue, chunk([...new Set(externalIds)]), origin, extra);
}

/** Enqueues one sync job per list of people (each at most 25); resolves with their ids once Redis has them all. */
export async function addSyncJobs(
  queue: Queue,
  people: ReadonlyArray<readonly string[]>,
  origin: SyncOrigin,
  extra: { runId?: string } = {},
): Promise<string[]> {
  const jobs = people
    .filter((ids) => ids.length > 0)
    .map((ids) => {
      const data: SyncBatchJob = { externalIds: [...ids], origin };
      if (extra.runId) data.runId = extra.runId;
      const opts: JobsOptions = { ...SYNC_JOB_OPTIONS, jobId: `batch-${randomUUID()}` };
      // Reconcile fixes wait behind live events: BullMQ serves the plain wait list before prioritized jobs.
      if (origin === 'reconcile') opts.priority = 10;
      return { name: JOBS.syncBatch, data, opts };
    });
  if (jobs.length === 0) return [];
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
