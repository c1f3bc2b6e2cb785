import { ENTERPRISE_USER_SCHEMA } from '@dirsync/scim';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { type EngineHarness, hr, startEngineHarness } from './engine-harness.js';

async function targetUser(h: EngineHarness, externalId: string) {
  return (await h.sim.admin.getUserByExternalId(externalId))?.user ?? undefined;
}

async function sendAndSync(h: EngineHarness, events: Parameters<EngineHarness['send']>[0]) {
  return h.sync(await h.send(events));
}

const HOUR = 3_600_000;

describe('what real HR feeds send', () => {
  redisTest(
    'a CEO who is their own manager is created without one, noted once, and later changes land',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const created = await sendAndSync(h, {
          event: 'user.created',
          data: hr('HR-CEO', { managerExternalId: 'HR-CEO' }),
        });
        expect(created.failures).toEqual([]);
        expect(created.report.counts.created).toBe(1);
        expect(created.report.discrepancies).toEqual([
          expect.objectContaining({
            externalId: 'HR-CEO',
            type: 'attribute_refused',
            field: `${ENTERPRISE_USER_SCHEMA}:manager`,
            detail: expect.stringContaining('self-reference: no manager'),
          }),
        ]);
        const retitled = await sendAndSync(h, {
          event: 'user.updated',
          data: hr('HR-CEO', { managerExternalId: 'HR-CEO', title: 'Chief Executive' }),
        });
        expect(retitled.failures).toEqual([]);
        expect(retitled.report.people[0]).toMatchObject({ outcome: 'updated', requests: 1 });
        expect(retitled.report.discrepancies).toEqual([]);
        const user = await targetUser(h, 'HR-CEO');
        expect(user?.title).toBe('Chief Executive');
        expect(user?.[ENTERPRISE_USER_SCHEMA]?.manager).toBeUndefined();
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    '"Agent" is granted as agent, and the org spelling "Agent" is no change',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const created = await sendAndSync(h, { event: 'user.created', data: hr('HR-7', { role: 'Agent' }) });
        expect(created.failures).toEqual([]);
        expect(created.report.counts.created).toBe(1);
        expect(created.report.discrepancies).toEqual([]);
        const roles = (await targetUser(h, 'HR-7'))?.roles?.map((r) => r.value).sort();
        expect(roles).toEqual(['agent', 'employee']);
        const replay = await sendAndSync(h, { event: 'user.updated', data: hr('HR-7', { role: 'AGENT' }) });
        expect(replay.report.people[0]).toMatchObject({ outcome: 'unchanged', requests: 0 });
      } finally {
        await h.close();
      }
      // An org that spells the role "Agent": Genesys answers with its spelling; nothing differs afterwards.
      const org = await startEngineHarness({
        redisUrl,
        prefix: `${prefix}:org`,
        sim: { roles: ['employee', 'Agent', 'supervisor', 'admin'] },
      });
      try {
        const created = await sendAndSync(org, {
          event: 'user.created',
          data: hr('HR-8', { role: 'agent' }),
        });
        expect(created.report.discrepancies).toEqual([]);
        expect((await targetUser(org, 'HR-8'))?.roles?.map((r) => r.value).sort()).toEqual([
          'Agent',
          'employee',
        ]);
        const retitled = await sendAndSync(org, {
          event: 'user.updated',
          data: hr('HR-8', { role: 'agent', title: 'Lead' }),
        });
        const patches = (await org.sim.admin.requests()).filter((r) => r.method === 'PATCH');
        expect(retitled.report.people[0]).toMatchObject({ outcome: 'updated', requests: 1 });
        expect(JSON.stringify(patches.at(-1))).not.toContain('roles');
      } finally {
        await org.close();
      }
    },
  );

  redisTest(
    'a manager who never arrives is reported once after MANAGER_WAIT_HOURS (injected clock)',
    async ({ redisUrl, prefix }) => {
      let now = Date.parse('2026-03-02T09:00:00Z');
      const h = await startEngineHarness({
        redisUrl,
        prefix,
        settings: { now: () => now, managerWaitMs: 24 * HOUR },
      });
      try {
        const created = await sendAndSync(h, {
          event: 'user.created',
          data: hr('HR-10', { managerExternalId: 'HR-GHOST' }),
        });
        expect(created.report.counts.created).toBe(1);
        expect(await h.engine.reportMissingManagers()).toBeUndefined();
        now += 23 * HOUR;
        expect(await h.engine.reportMissingManagers()).toBeUndefined();
        now += 2 * HOUR;
        const report = await h.engine.reportMissingManagers();
        expect(report?.discrepancies).toEqual([
          expect.objectContaining({
            externalId: 'HR-10',
            type: 'manager_missing',
            expected: 'HR-GHOST',
            detail: expect.stringContaining('HR-GHOST'),
          }),
        ]);
        expect(await h.engine.reports.get(report?.id ?? '')).toMatchObject({ id: report?.id });
        // Once: neither the next check nor a later sync of the person says it again.
        now += 24 * HOUR;
        expect(await h.engine.reportMissingManagers()).toBeUndefined();
        await sendAndSync(h, {
          event: 'user.updated',
          data: hr('HR-10', { managerExternalId: 'HR-GHOST', title: 'x' }),
        });
        expect(await h.engine.reportMissingManagers()).toBeUndefined();

        // A manager who does arrive in time is never reported.
        await sendAndSync(h, { event: 'user.created', data: hr('HR-11', { managerExternalId: 'HR-LATE' }) });
        now += 1 * HOUR;
        await sendAndSync(h, { event: 'user.created', data: hr('HR-LATE') });
        await sendAndSync(h, { event: 'user.updated', data: hr('HR-11', { managerExternalId: 'HR-LATE' }) });
        now += 48 * HOUR;
        expect(await h.engine.reportMissingManagers()).toBeUndefined();
        const late = await targetUser(h, 'HR-LATE');
        expect((await targetUser(h, 'HR-11'))?.[ENTERPRISE_USER_SCHEMA]?.manager?.value).toBe(late?.id);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a synced person who falls out of scope is deactivated like a leaver (PROTECTED_USERS holds)',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix, settings: { protectedUsers: ['HR-ADMIN'] } });
      try {
        await sendAndSync(h, [
          { event: 'user.created', data: hr('HR-20') },
          { event: 'user.created', data: hr('HR-ADMIN') },
        ]);
        const out = await sendAndSync(h, [
          { event: 'user.updated', data: hr('HR-20', { workEmail: null }) },
          { event: 'user.updated', data: hr('HR-ADMIN', { workEmail: null }) },
          { event: 'user.created', data: hr('HR-NEVER', { workEmail: null }) },
        ]);
        expect(out.report.people.map((p) => [p.externalId, p.outcome]).sort()).toEqual([
          ['HR-20', 'deactivated'],
          ['HR-ADMIN', 'skipped'],
          ['HR-NEVER', 'skipped'],
        ]);
        expect(out.report.discrepancies).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ externalId: 'HR-20', type: 'out_of_scope' }),
            expect.objectContaining({ externalId: 'HR-ADMIN', type: 'policy_violation', field: 'active' }),
          ]),
        );
        expect((await targetUser(h, 'HR-20'))?.active).toBe(false);
        expect((await targetUser(h, 'HR-ADMIN'))?.active).toBe(true);
        expect(await targetUser(h, 'HR-NEVER')).toBeUndefined();
        // Still out of scope: nothing more to do, nothing said again.
        const again = await sendAndSync(h, {
          event: 'user.updated',
          data: hr('HR-20', { workEmail: null, title: 'x' }),
        });
        expect(again.report.people[0]).toMatchObject({ outcome: 'unchanged', requests: 0 });
        expect(again.report.discrepancies).toEqual([]);
        // Back in scope: reactivated.
        const back = await sendAndSync(h, { event: 'user.updated', data: hr('HR-20') });
        expect(back.report.people[0]).toMatchObject({ outcome: 'reactivated' });
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'with OUT_OF_SCOPE=leave the account is left as is and reported once',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix, settings: { outOfScope: 'leave' } });
      try {
        await sendAndSync(h, { event: 'user.created', data: hr('HR-30') });
        const out = await sendAndSync(h, { event: 'user.updated', data: hr('HR-30', { workEmail: null }) });
        expect(out.report.people[0]).toMatchObject({ outcome: 'skipped', requests: 0 });
        expect(out.report.discrepancies).toEqual([
          expect.objectContaining({
            externalId: 'HR-30',
            type: 'out_of_scope',
            detail: expect.stringContaining('leave'),
          }),
        ]);
        expect((await targetUser(h, 'HR-30'))?.active).toBe(true);
        const again = await sendAndSync(h, {
          event: 'user.updated',
          data: hr('HR-30', { workEmail: null, title: 'x' }),
        });
        expect(again.report.discrepancies).toEqual([]);
        expect((await targetUser(h, 'HR-30'))?.active).toBe(true);
      } finally {
        await h.close();
      }
    },
  );
});
