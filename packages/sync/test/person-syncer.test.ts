import { DEFAULT_ROLES } from '@dirsync/genesys-sim';
import { ENTERPRISE_USER_SCHEMA } from '@dirsync/scim';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { type EngineHarness, hr, startEngineHarness } from './engine-harness.js';

const roleNames = (user: { roles?: Array<{ value?: string }> } | null | undefined) =>
  (user?.roles ?? []).map((r) => r.value).sort();

async function targetUser(h: EngineHarness, externalId: string) {
  return (await h.sim.admin.getUserByExternalId(externalId))?.user ?? undefined;
}

/** Sends events and syncs the people they changed, as one batch job would. */
async function sendAndSync(h: EngineHarness, events: Parameters<EngineHarness['send']>[0]) {
  return h.sync(await h.send(events));
}

describe('PersonSyncer through the engine', () => {
  redisTest(
    'a cold create is two requests; a warm update one PATCH with If-Match; a no-op none',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const created = await sendAndSync(h, { event: 'user.created', data: hr('HR-100') });
        expect(created.report.people).toEqual([
          expect.objectContaining({ externalId: 'HR-100', outcome: 'created', requests: 2 }),
        ]);
        const before = (await h.sim.admin.requests()).at(-1)?.seq ?? 0;
        const updated = await sendAndSync(h, {
          event: 'user.updated',
          data: hr('HR-100', { title: 'Lead' }),
        });
        expect(updated.report.people[0]).toMatchObject({ outcome: 'updated', requests: 1 });
        const writes = await h.sim.admin.requests({ since: before });
        expect(writes.map((r) => r.method)).toEqual(['PATCH']);
        const same = await sendAndSync(h, { event: 'user.updated', data: hr('HR-100', { title: 'Lead' }) });
        expect(same.report.people[0]).toMatchObject({ outcome: 'unchanged', requests: 0 });
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'deactivation sets active=false; reactivation sets it back and re-applies roles',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await sendAndSync(h, { event: 'user.created', data: hr('HR-1', { role: 'supervisor' }) });
        const off = await sendAndSync(h, { event: 'user.deactivated', data: { externalId: 'HR-1' } });
        expect(off.report.counts.deactivated).toBe(1);
        const inactive = await targetUser(h, 'HR-1');
        expect(inactive?.active).toBe(false);
        // While inactive, an administrator strips the role by hand.
        await h.sim.admin.editUser(inactive?.id ?? '', [
          { op: 'remove', path: 'roles[value eq "supervisor"]' },
        ]);
        const back = await sendAndSync(h, { event: 'user.reactivated', data: { externalId: 'HR-1' } });
        expect(back.report.counts.reactivated).toBe(1);
        const user = await targetUser(h, 'HR-1');
        expect(user?.active).toBe(true);
        expect(roleNames(user)).toEqual(['employee', 'supervisor']);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'an existing Genesys user is adopted by userName; one owned by another person is not',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const existing = await h.sim.admin.seedUser({
          userName: 'hr-2@example.com',
          displayName: 'Made By Hand',
        });
        await h.sim.admin.seedUser({
          userName: 'hr-3@example.com',
          displayName: 'Someone Else',
          externalId: 'HR-999',
        });
        const result = await sendAndSync(h, [
          { event: 'user.created', data: hr('HR-2') },
          { event: 'user.created', data: hr('HR-3') },
        ]);
        const adopted = await targetUser(h, 'HR-2');
        expect(adopted?.id).toBe(existing.id);
        expect(adopted).toMatchObject({ displayName: 'Test HR-2', title: 'Agent', externalId: 'HR-2' });
        expect(await h.sim.admin.listUsers()).toHaveLength(2);
        expect(result.report.counts).toMatchObject({ updated: 1, failed: 1 });
        expect(result.report.discrepancies).toEqual([
          expect.objectContaining({
            externalId: 'HR-3',
            type: 'sync_failure',
            detail: expect.stringContaining('HR-999'),
          }),
        ]);
        expect(result.failures).toEqual([
          expect.objectContaining({ externalId: 'HR-3', code: 'username_taken' }),
        ]);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a role the policy denies blocks the write, is reported, and never blocks a deactivation',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const denied = await sendAndSync(h, {
          id: 'evt-admin',
          event: 'user.created',
          data: hr('HR-4', { departmentCode: 'Sales', role: 'admin' }),
        });
        expect(await targetUser(h, 'HR-4')).toBeUndefined();
        expect(denied.report.counts.failed).toBe(1);
        expect(denied.report.discrepancies).toEqual([
          expect.objectContaining({
            externalId: 'HR-4',
            correlationId: 'evt-admin',
            type: 'policy_violation',
            actual: 'admin',
            detail: 'role "admin" is not allowed for department "Sales" (allowed: agent, supervisor)',
          }),
        ]);
        expect(denied.report.people[0]?.requests).toBe(0);
        expect(denied.failures).toEqual([
          expect.objectContaining({ externalId: 'HR-4', code: 'policy_violation' }),
        ]);

        await sendAndSync(h, {
          event: 'user.created',
          data: hr('HR-5', { departmentCode: 'Engineering', role: 'admin' }),
        });
        await sendAndSync(h, [
          { event: 'user.updated', data: hr('HR-5', { departmentCode: 'Sales', role: 'admin' }) },
          { event: 'user.deactivated', data: { externalId: 'HR-5' } },
        ]);
        expect((await targetUser(h, 'HR-5'))?.active).toBe(false);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'only roles the policy manages are removed; the default and hand-granted roles stay',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({
        redisUrl,
        prefix,
        sim: { roles: [...DEFAULT_ROLES, 'reporting'] },
      });
      try {
        await sendAndSync(h, {
          event: 'user.created',
          data: hr('HR-6', { departmentCode: 'Engineering', role: 'supervisor' }),
        });
        const user = await targetUser(h, 'HR-6');
        await h.sim.admin.editUser(user?.id ?? '', [
          { op: 'add', path: 'roles', value: [{ value: 'reporting' }] },
        ]);
        await sendAndSync(h, {
          event: 'user.updated',
          data: hr('HR-6', { departmentCode: 'Engineering', role: 'agent' }),
        });
        expect(roleNames(await targetUser(h, 'HR-6'))).toEqual(['agent', 'employee', 'reporting']);
        await sendAndSync(h, {
          event: 'user.updated',
          data: hr('HR-6', { departmentCode: 'Engineering', role: null }),
        });
        expect(roleNames(await targetUser(h, 'HR-6'))).toEqual(['employee', 'reporting']);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a manager not yet in Genesys is left unset; the manager’s sync asks for the report again, which fills it in',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await sendAndSync(h, { event: 'user.created', data: hr('HR-7', { managerExternalId: 'HR-8' }) });
        expect((await targetUser(h, 'HR-7'))?.[ENTERPRISE_USER_SCHEMA]?.manager).toBeUndefined();
        await sendAndSync(h, { event: 'user.created', data: hr('HR-8') });
        expect(h.requested).toEqual([{ externalIds: ['HR-7'], origin: 'manager' }]);
        const filled = await h.sync(['HR-7']);
        expect(filled.report.people[0]).toMatchObject({ externalId: 'HR-7', outcome: 'updated' });
        const manager = await targetUser(h, 'HR-8');
        expect((await targetUser(h, 'HR-7'))?.[ENTERPRISE_USER_SCHEMA]?.manager?.value).toBe(manager?.id);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a record the mapping leaves out of scope is skipped without a request',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const result = await sendAndSync(h, {
          event: 'user.created',
          data: { externalId: 'HR-9', firstName: 'No', lastName: 'Email' },
        });
        expect(result.report.counts.skipped).toBe(1);
        expect((await h.sim.admin.counters()).requests).toBe(0);
      } finally {
        await h.close();
      }
    },
  );

  redisTest('protected users are never deactivated', async ({ redisUrl, prefix }) => {
    const h = await startEngineHarness({
      redisUrl,
      prefix,
      settings: { protectedUsers: ['break-glass@example.com', 'HR-11'] },
    });
    try {
      await sendAndSync(h, [
        { event: 'user.created', data: hr('HR-10', { workEmail: 'break-glass@example.com' }) },
        { event: 'user.created', data: hr('HR-11') },
      ]);
      const result = await sendAndSync(h, [
        { event: 'user.deactivated', data: { externalId: 'HR-10' } },
        { event: 'user.deactivated', data: { externalId: 'HR-11' } },
      ]);
      expect((await targetUser(h, 'HR-10'))?.active).toBe(true);
      expect((await targetUser(h, 'HR-11'))?.active).toBe(true);
      expect(result.report.counts.skipped).toBe(2);
      expect(result.report.discrepancies.map((d) => d.detail)).toEqual([
        expect.stringContaining('PROTECTED_USERS'),
        expect.stringContaining('PROTECTED_USERS'),
      ]);
    } finally {
      await h.close();
    }
  });
});
