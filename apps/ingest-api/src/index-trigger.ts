import { randomUUID } from 'node:crypto';
import { JOBS } from '@dirsync/contracts';
import type { Queue } from 'bullmq';

/** What asking for a directory index build came to. */
export type IndexBuildStart = { status: 'started' | 'running'; jobId: string };

/** `POST /admin/index`: queues one directory index build for the workers, unless one is already queued or running. */
export function createIndexTrigger(indexQueue: Queue) {
  return async (): Promise<IndexBuildStart> => {
    const jobId = `index-${randomUUID()}`;
    const job = await indexQueue.add(
      JOBS.buildIndex,
      { trigger: 'api' },
      // One build at a time: while one is queued or active, its deduplication id makes a second add a no-op.
      {
        jobId,
        deduplication: { id: 'directory-index-build' },
        removeOnComplete: { count: 20 },
        removeOnFail: { count: 20 },
      },
    );
    return { status: job.id === jobId ? 'started' : 'running', jobId: String(job.id) };
  };
}
