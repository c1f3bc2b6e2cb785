import { ScimError, type ScimUser } from '@dirsync/scim';
import type { Job, Queue } from 'bullmq';
import type { PersonView } from './console-view.js';
import type { PersonState } from './person-state.js';
import type { PersonTimeline } from './person-timeline.js';
import { oneLineMessage } from './person-timeline.js';
import type { ScheduledChanges } from './scheduled-changes.js';
import { toEntry } from './scheduled-changes.js';
import type { PersonReader, ScimTarget, TargetCachePort } from './sync-ports.js';
import { failedPersonJobId } from './sync-queue.js';
import type { CachedTarget } from './target-cache.js';

/** What a person's console page reads. */
export interface PersonSources {
  people: PersonReader;
  cache: Pick<TargetCachePort, 'get'>;
  schedule: Pick<ScheduledChanges, 'forPerson'>;
  timeline: Pick<PersonTimeline, 'read'>;
  queue: Pick<Queue, 'getJob'>;
  /** The live target client (each request takes a slot of the request budget). */
  target: Pick<ScimTarget, 'getUser' | 'findByExternalId'>;
  /** What the next sync would send, with no request (see pendingSync). */
  pending: (state: PersonState) => Promise<PersonView['pending']>;
}

/**
 * A person as the console shows them: the kept HR state, the target as cached (or read live: one request), the
 * pending diff, their failed job, scheduled changes and timeline. Undefined when nothing is known of them.
 */
export async function readPerson(
  sources: PersonSources,
  externalId: string,
  options: { live?: boolean } = {},
): Promise<PersonView | undefined> {
  const [state, cached, failedJobs, scheduled, timeline] = await Promise.all([
    sources.people.get(externalId),
    sources.cache.get(externalId),
    failedJobsOf(sources.queue, externalId),
    sources.schedule.forPerson(externalId),
    sources.timeline.read(externalId),
  ]);
  if (!state && !cached && timeline.length === 0 && failedJobs.length === 0) return undefined;
  const view: PersonView = {
    externalId,
    failedJobs,
    scheduled: scheduled.map(({ change, stage }) => {
      const { dueAt, effectiveAt, kind, fields } = toEntry(change, stage);
      return { dueAt, effectiveAt, kind, fields };
    }),
    timeline,
  };
  if (state) view.hr = hrOf(state);
  const target = cached ? cachedTarget(cached) : undefined;
  if (target) view.target = target;
  if (options.live) await readLive(sources, externalId, cached, view);
  if (state) {
    const pending = await sources.pending(state);
    if (pending) view.pending = pending;
  }
  return view;
}

function hrOf(state: PersonState): NonNullable<PersonView['hr']> {
  return {
    event: state.event,
    occurredAt: new Date(state.occurredAtMs).toISOString(),
    receivedAt: new Date(state.receivedAtMs).toISOString(),
    active: state.active,
    rev: state.rev,
    appliedRev: state.appliedRev,
    failedRev: state.failedRev,
    data: state.data,
  };
}

function cachedTarget(cached: CachedTarget): PersonView['target'] {
  const target: NonNullable<PersonView['target']> = {
    source: 'cache',
    scimId: cached.scimId,
    syncedAt: new Date(cached.syncedAt).toISOString(),
  };
  if (cached.version !== undefined) target.version = cached.version;
  if (cached.user) target.user = cached.user;
  return target;
}

/** One request: the cached user by id, else a lookup by externalId. The cache is left as the sync wrote it. */
async function readLive(
  sources: PersonSources,
  externalId: string,
  cached: CachedTarget | undefined,
  view: PersonView,
): Promise<void> {
  try {
    let found: { user: ScimUser; version?: string | undefined } | undefined;
    if (cached) {
      found = await sources.target.getUser(cached.scimId);
    } else {
      const user = await sources.target.findByExternalId(externalId);
      found = user?.id ? { user, version: user.meta?.version } : undefined;
    }
    if (!found) {
      delete view.target;
      view.liveError = 'not in the target';
      return;
    }
    const scimId = (found.user.id as string | undefined) ?? cached?.scimId ?? '';
    view.target = { source: 'live', scimId, user: found.user };
    if (found.version !== undefined) view.target.version = found.version;
  } catch (error) {
    if (error instanceof ScimError && error.kind === 'not_found') {
      delete view.target;
      view.liveError = 'not in the target (404 for the cached id)';
      return;
    }
    view.liveError = oneLineMessage(error instanceof Error ? error.message : String(error));
  }
}

/** The person's failed job still in the queue (a person whose sync failed for good has exactly one). */
export async function failedJobsOf(
  queue: Pick<Queue, 'getJob'>,
  externalId: string,
): Promise<PersonView['failedJobs']> {
  const job: Job | undefined = await queue.getJob(failedPersonJobId(externalId));
  if (!job?.id || !(await job.isFailed())) return [];
  const { code, message } = failureOf(job);
  const failed: PersonView['failedJobs'][number] = {
    jobId: job.id,
    code,
    message,
    attempts: job.attemptsMade,
  };
  if (job.finishedOn) failed.failedAt = new Date(job.finishedOn).toISOString();
  return [failed];
}

/** The recorded reason (`code`, `message`), else the first line of the failed reason (`code: message …`). */
function failureOf(job: Job): { code: string; message: string } {
  const recorded = (job.data as { failure?: { code?: unknown; message?: unknown } } | undefined)?.failure;
  const reason = job.failedReason ?? '';
  const match = /^([a-z][a-z0-9_]*): (.*)$/s.exec(reason);
  if (match?.[1] && match[2] !== undefined) return { code: match[1], message: oneLineMessage(match[2]) };
  if (typeof recorded?.code === 'string' && typeof recorded.message === 'string') {
    return { code: recorded.code, message: oneLineMessage(recorded.message) };
  }
  return { code: 'failed', message: oneLineMessage(reason) };
}
