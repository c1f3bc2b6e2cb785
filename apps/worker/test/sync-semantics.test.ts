import { JOBS } from '@dirsync/contracts';
import { DEFAULT_ROLES } from '@dirsync/genesys-sim';
import { ENTERPRISE_USER_SCHEMA } from '@dirsync/scim';
import { failedPersonJobId } from '@dirsync/sync';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { hr, type Stack, startStack, waitUntil } from './stack.js';

const roleNames = (user: { roles?: Array<{ value?: string }> } | null | undefined) =>
  (user?.roles ?? []).map((r) => r.value).sort();

async function targetUser(stack: Stack, externalId: string) {
  return (await stack.sim.admin.getUserByExternalId(externalId))?.user ?? undefined;
}

async function latestReportFor(stack: Stack, externalId: string) {
  for (const summary of await stack.reports()) {
    const report = await stack.report(summary.id);
    if (report.people.some((p) => p.externalId === externalId)) return report;
  }
  throw new Error(`no report mentions ${externalId}`);
}

describe('worker: sync semantics', () => {
  redisTest(
    'deactivation sets active=false; reactivation sets it back and re-applies roles',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        await stack.send({ event: 'user.created', data: hr('HR-1', { role: 'supervisor' }) });
        await stack.drained();
        await stack.send({ event: 'user.deactivated', data: { externalId: 'HR-1' } });
        await stack.drained();
        const inactive = await targetUser(stack, 'HR-1');
        expect(inactive?.active).toBe(false);
        expect((await latestReportFor(stack, 'HR-1')).counts.deactivated).toBe(1);

        // While inactive, an administrator strips the role by hand.
        await stack.sim.admin.editUser(inactive?.id ?? '', [
          { op: 'remove', path: 'roles[value eq "supervisor"]' },
        ]);
        await stack.send({ event: 'user.reactivated', data: { externalId: 'HR-1' } });
        await stack.drained();
        const back = await targetUser(stack, 'HR-1');
        expect(back?.active).toBe(true);
        expect(roleNames(back)).toEqual(['employee', 'supervisor']);
        expect((await latestReportFor(stack, 'HR-1')).counts.reactivated).toBe(1);
      } finally {
        await stack.close();
      }
    },
  );

  redisTest(
    'an existing Genesys user is adopted by userName; one owned by another person is not',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        const existing = await stack.sim.admin.seedUser({
          userName: 'hr-2@example.com',
          displayName: 'Made By Hand',
          title: 'Old title',
        });
        await stack.sim.admin.seedUser({
          userName: 'hr-3@example.com',
          displayName: 'Someone Else',
          externalId: 'HR-999',
        });
        await stack.send([
          { event: 'user.created', data: hr('HR-2') },
          { event: 'user.created', data: hr('HR-3') },
        ]);
        await stack.drained();
        const adopted = await targetUser(stack, 'HR-2');
        expect(adopted?.id).toBe(existing.id);
        expect(adopted).toMatchObject({ displayName: 'Test HR-2', title: 'Agent', externalId: 'HR-2' });
        // Nobody new was made: HR-2 took over the hand-made account, HR-3 was refused.
        expect(await stack.sim.admin.listUsers()).toHaveLength(2);

        const report = await latestReportFor(stack, 'HR-3');
        expect(report.counts).toMatchObject({ updated: 1, failed: 1 });
        expect(report.discrepancies).toEqual([
          expect.objectContaining({
            externalId: 'HR-3',
            type: 'sync_failure',
            detail: expect.stringContaining('HR-999'),
          }),
        ]);
        // The failure is one failed job in the dashboard…
        const failed = await waitUntil(
          () => stack.queue.getJob(failedPersonJobId('HR-3')),
          (job) => job?.failedReason !== undefined && job.finishedOn !== undefined,
          { what: 'the failed person job' },
        );
        expect(failed?.name).toBe(JOBS.syncUser);
        expect(failed?.failedReason).toContain('HR-999');
        // …whose retry, once the cause is fixed in Genesys, re-syncs that person.
        const other = (await stack.sim.admin.listUsers()).find((u) => u.externalId === 'HR-999');
        await stack.sim.admin.editUser(other?.id ?? '', [
          { op: 'replace', path: 'userName', value: 'moved@example.com' },
        ]);
        await failed?.retry('failed');
        await waitUntil(
          () => targetUser(stack, 'HR-3'),
          (u) => u !== undefined,
          { what: 'HR-3 created after retry' },
        );
        const job = await waitUntil(
          () => stack.queue.getJob(failedPersonJobId('HR-3')),
          (j) => j?.returnvalue !== undefined && j.returnvalue !== null,
          { what: 'the retried job to complete' },
        );
        expect(job?.returnvalue).toMatchObject({ counts: { created: 1 } });
      } finally {
        await stack.close();
      }
    },
  );

  redisTest(
    'a role the policy denies blocks the write, is reported, and never blocks a deactivation',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        await stack.send({
          id: 'evt-admin',
          event: 'user.created',
          data: hr('HR-4', { departmentCode: 'Sales', role: 'admin' }),
        });
        await stack.drained();
        expect(await targetUser(stack, 'HR-4')).toBeUndefined();
        const report = await latestReportFor(stack, 'HR-4');
        expect(report.counts.failed).toBe(1);
        expect(report.discrepancies).toEqual([
          expect.objectContaining({
            externalId: 'HR-4',
            correlationId: 'evt-admin',
            type: 'policy_violation',
            actual: 'admin',
            detail: 'role "admin" is not allowed for department "Sales" (allowed: agent, supervisor)',
          }),
        ]);
        expect(report.people[0]?.requests).toBe(0);
        const job = await waitUntil(
          () => stack.queue.getJob(failedPersonJobId('HR-4')),
          (j) => j?.finishedOn !== undefined,
        );
        expect(job?.failedReason).toContain('policy_violation');

        // An existing user with a now-denied role can still be deactivated.
        await stack.send({
          event: 'user.created',
          data: hr('HR-5', { departmentCode: 'Engineering', role: 'admin' }),
        });
        await stack.drained();
        await stack.send([
          { event: 'user.updated', data: hr('HR-5', { departmentCode: 'Sales', role: 'admin' }) },
          { event: 'user.deactivated', data: { externalId: 'HR-5' } },
        ]);
        await stack.drained();
        expect((await targetUser(stack, 'HR-5'))?.active).toBe(false);
      } finally {
        await stack.close();
      }
    },
  );

  redisTest(
    'only roles the policy manages are removed; the default and hand-granted roles stay',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix, sim: { roles: [...DEFAULT_ROLES, 'reporting'] } });
      try {
        await stack.send({
          event: 'user.created',
          data: hr('HR-6', { departmentCode: 'Engineering', role: 'supervisor' }),
        });
        await stack.drained();
        const user = await targetUser(stack, 'HR-6');
        await stack.sim.admin.editUser(user?.id ?? '', [
          { op: 'add', path: 'roles', value: [{ value: 'reporting' }] },
        ]);
        await stack.send({
          event: 'user.updated',
          data: hr('HR-6', { departmentCode: 'Engineering', role: 'agent' }),
        });
        await stack.drained();
        expect(roleNames(await targetUser(stack, 'HR-6'))).toEqual(['agent', 'employee', 'reporting']);
        await stack.send({
          event: 'user.updated',
          data: hr('HR-6', { departmentCode: 'Engineering', role: null }),
        });
        await stack.drained();
        expect(roleNames(await targetUser(stack, 'HR-6'))).toEqual(['employee', 'reporting']);
      } finally {
        await stack.close();
      }
    },
  );

  redisTest(
    'a manager not yet in Genesys is left unset and filled in once the manager is synced',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        await stack.send({ event: 'user.created', data: hr('HR-7', { managerExternalId: 'HR-8' }) });
        await stack.drained();
        const report = await targetUser(stack, 'HR-7');
        expect(report?.[ENTERPRISE_USER_SCHEMA]?.manager).toBeUndefined();
        await stack.send({ event: 'user.created', data: hr('HR-8') });
        await stack.drained();
        const manager = await targetUser(stack, 'HR-8');
        const filled = await waitUntil(
          () => targetUser(stack, 'HR-7'),
          (u) => u?.[ENTERPRISE_USER_SCHEMA]?.manager?.value !== undefined,
          { what: 'the manager to be filled in' },
        );
        expect(filled?.[ENTERPRISE_USER_SCHEMA]?.manager?.value).toBe(manager?.id);
      } finally {
        await stack.close();
      }
    },
  );

  redisTest(
    'a record the mapping leaves out of scope is skipped without a request',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        await stack.send({
          event: 'user.created',
          data: { externalId: 'HR-9', firstName: 'No', lastName: 'Email' },
        });
        await stack.drained();
        const report = await latestReportFor(stack, 'HR-9');
        expect(report.counts.skipped).toBe(1);
        expect((await stack.sim.admin.counters()).requests).toBe(0);
      } finally {
        await stack.close();
      }
    },
  );

  redisTest('PROTECTED_USERS are never deactivated', async ({ redisUrl, prefix }) => {
    const stack = await startStack({
      redisUrl,
      prefix,
      env: { PROTECTED_USERS: 'break-glass@example.com, HR-11' },
    });
    try {
      await stack.send([
        { event: 'user.created', data: hr('HR-10', { workEmail: 'break-glass@example.com' }) },
        { event: 'user.created', data: hr('HR-11') },
      ]);
      await stack.drained();
      await stack.send([
        { event: 'user.deactivated', data: { externalId: 'HR-10' } },
        { event: 'user.deactivated', data: { externalId: 'HR-11' } },
      ]);
      await stack.drained();
      expect((await targetUser(stack, 'HR-10'))?.active).toBe(true);
      expect((await targetUser(stack, 'HR-11'))?.active).toBe(true);
      const report = await latestReportFor(stack, 'HR-11');
      expect(report.counts.skipped).toBe(2);
      expect(report.discrepancies.map((d) => d.detail)).toEqual([
        expect.stringContaining('PROTECTED_USERS'),
        expect.stringContaining('PROTECTED_USERS'),
      ]);
    } finally {
      await stack.close();
    }
  });
});
