import { randomUUID } from 'node:crypto';
import { JOBS, QUEUES } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import { Queue } from 'bullmq';
import { describe, expect } from 'vitest';
import { startStack, waitUntil } from './stack.js';

describe('directory index builds', () => {
  redisTest(
    'the worker offers a build, runs one from the queue in pages of 25 with progress, and reports age and size',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      const connection = stack.redis.duplicate();
      const queue = new Queue(QUEUES.directoryIndex, { connection, prefix });
      try {
        expect(stack.logLines.some((l) => l.includes('no directory index for this target yet'))).toBe(true);
        await stack.sim.admin.seedUsers(
          Array.from({ length: 30 }, (_, i) => ({
            userName: `user-${i}@example.com`,
            externalId: `HR-${i}`,
            displayName: `User ${i}`,
            active: i % 3 !== 0,
          })),
        );
        const before = (await stack.sim.admin.requests()).at(-1)?.seq ?? 0;
        // What the API's index trigger enqueues.
        const jobId = `index-${randomUUID()}`;
        await queue.add(JOBS.buildIndex, { trigger: 'api' }, { jobId });
        const job = await waitUntil(
          () => queue.getJob(jobId),
          (j) => j?.finishedOn !== undefined,
          { what: `index build ${jobId}` },
        );
        expect(job?.failedReason).toBeUndefined();
        expect(job?.returnvalue).toMatchObject({ users: 30 });
        expect(job?.progress).toMatchObject({ usersRead: 30 });

        const pages = (await stack.sim.admin.requests({ since: before })).filter((r) =>
          r.path.endsWith('/Users'),
        );
        expect(pages.length).toBeGreaterThanOrEqual(2);
        for (const page of pages) {
          const query = new URLSearchParams(page.query ?? '');
          expect(Number(query.get('count'))).toBeLessThanOrEqual(25);
          expect(query.get('attributes')).toContain('externalId');
        }

        const metrics = await stack.workers[0]?.metrics.registry.metrics();
        expect(metrics).toMatch(/^dirsync_directory_index_users 30$/m);
        const age = Number(/^dirsync_directory_index_age_seconds (\S+)$/m.exec(metrics ?? '')?.[1]);
        expect(age).toBeGreaterThanOrEqual(0);
        expect(age).toBeLessThan(60);
      } finally {
        await queue.close();
        connection.disconnect();
        await stack.close();
      }
    },
  );
});
