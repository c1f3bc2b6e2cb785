import type { ReportStore } from '@dirsync/reports';
import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { readOverview } from './console-overview.js';
import { pendingSync } from './console-pending.js';
import { readPerson } from './console-person.js';
import type { ConsoleReader } from './console-view.js';
import type { SyncKeys } from './keys.js';
import { PeopleSearch } from './people-search.js';
import type { PersonStore } from './person-store.js';
import type { PersonSyncerOptions } from './person-syncer.js';
import type { PersonTimeline } from './person-timeline.js';
import type { RequestBudget } from './request-budget.js';
import type { ScheduledChanges } from './scheduled-changes.js';
import type { ScimTarget } from './sync-ports.js';
import { addSyncBatches, failedPersonJobId } from './sync-queue.js';
import type { TargetHealth } from './target-health.js';

/** What the console reader is built from: the engine's stores, its live client and syncer ports, the sync queue. */
export interface ConsoleSources {
  redis: Redis | Cluster;
  keys: SyncKeys;
  people: PersonStore;
  schedule: ScheduledChanges;
  timeline: PersonTimeline;
  reports: ReportStore;
  budget: RequestBudget;
  health: TargetHealth;
  /** The live SCIM client: "read live" spends one request of the budget through it. */
  target: Pick<ScimTarget, 'getUser' | 'findByExternalId'>;
  /** The syncer's ports and rules: the pending diff is the engine's preview over the cached target. */
  syncer: PersonSyncerOptions;
  /** The sync queue (`QUEUES.sync` under `QUEUE_PREFIX`). */
  queue: Queue;
  now?: (() => number) | undefined;
}

/**
 * The operator console's reads and actions over the engine: overview, people search, a person's page (HR state,
 * target, pending diff, failed job, scheduled changes, timeline), re-sync and retry.
 */
export function createConsoleReader(sources: ConsoleSources): ConsoleReader {
  const now = sources.now ?? Date.now;
  const search = new PeopleSearch(sources);
  const { people, queue, timeline } = sources;
  return {
    overview: () => readOverview(sources),
    search: (q, limit) => search.search(q, limit),
    person: (externalId, options) =>
      readPerson(
        {
          ...sources,
          cache: sources.syncer.cache,
          pending: (state) => pendingSync(state, sources.syncer),
        },
        externalId,
        options,
      ),
    async resync(externalId) {
      // The same path as a webhook: a new revision, then a trigger (the job reads the newest state).
      if (!(await people.requestResync(externalId, now()))) return undefined;
      const [jobId] = await addSyncBatches(queue, [externalId], 'retry');
      if (!jobId) return undefined;
      await timeline.append(externalId, { kind: 'resync', at: now(), by: 'operator', jobId });
      return { jobId };
    },
    async retryFailed(externalId) {
      const job = await queue.getJob(failedPersonJobId(externalId));
      if (!job?.id || !(await job.isFailed())) return { retried: [] };
      // attemptsMade stays: a retried failed-person job re-syncs instead of failing again with its recorded reason.
      await job.retry('failed');
      await timeline.append(externalId, { kind: 'resync', at: now(), by: 'operator', jobId: job.id });
      return { retried: [job.id] };
    },
  };
}
