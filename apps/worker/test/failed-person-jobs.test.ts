import { JOBS } from '@dirsync/contracts';
import { failedPersonJobId } from '@dirsync/sync';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { hr, startStack, waitUntil } from './stack.js';

// What a person's failure becomes at the queue edge; the sync behaviour itself is tested in packages/sync.
describe('worker: failed people', () => {
  redisTest(
    'a failure for good is one failed job in the dashboard whose retry, once the cause is fixed, re-syncs',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        await stack.sim.admin.seedUser({
          userName: 'hr-3@example.com',
          displayName: 'Someone Else',
          externalId: 'HR-999',
        });
        await stack.send({ event: 'user.created', data: hr('HR-3') });
        await stack.drained();
        const failed = await waitUntil(
          () => stack.queue.getJob(failedPersonJobId('HR-3')),
          (job) => job?.failedReason !== undefined && job.finishedOn !== undefined,
          { what: 'the failed person job' },
        );
        expect(failed?.name).toBe(JOBS.syncUser);
        expect(failed?.failedReason).toContain('HR-999');
        const other = (await stack.sim.admin.listUsers()).find((u) => u.externalId === 'HR-999');
        await stack.sim.admin.editUser(other?.id ?? '', [
          { op: 'replace', path: 'userName', value: 'moved@example.com' },
        ]);
        await failed?.retry('failed');
        const job = await waitUntil(
          () => stack.queue.getJob(failedPersonJobId('HR-3')),
          (j) => j?.returnvalue !== undefined && j.returnvalue !== null,
          { what: 'the retried job to complete' },
        );
        expect(job?.returnvalue).toMatchObject({ counts: { created: 1 } });
        expect((await stack.sim.admin.getUserByExternalId('HR-3'))?.user).toBeDefined();
      } finally {
        await stack.close();
      }
    },
  );

  redisTest('a policy refusal names its code in the failed job', async ({ redisUrl, prefix }) => {
    const stack = await startStack({ redisUrl, prefix });
    try {
      await stack.send({
        event: 'user.created',
        data: hr('HR-4', { departmentCode: 'Sales', role: 'admin' }),
      });
      await stack.drained();
      const job = await waitUntil(
        () => stack.queue.getJob(failedPersonJobId('HR-4')),
        (j) => j?.finishedOn !== undefined,
        { what: 'the failed person job' },
      );
      expect(job?.failedReason).toContain('policy_violation');
    } finally {
      await stack.close();
    }
  });
});
