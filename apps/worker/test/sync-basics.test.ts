import { ENTERPRISE_USER_SCHEMA } from '@dirsync/scim';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { hr, startStack, waitUntil } from './stack.js';

describe('worker: the fewest correct writes', () => {
  redisTest(
    'a cold create is two requests; a warm update one PATCH with If-Match; a no-op none',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        const { sim } = stack;
        const created = await stack.send({
          id: 'evt-create',
          event: 'user.created',
          data: hr('HR-100', {
            title: 'Agent',
            phone: '+15555550100',
            hireDate: '2024-03-01',
            costCenter: 'CC-9',
            level: 3,
          }),
        });
        expect(created.status).toBe(202);
        await stack.drained();
        const state = await waitUntil(
          () => sim.admin.getUserByExternalId('HR-100'),
          (s) => s?.user != null,
          { what: 'HR-100 in the target' },
        );
        const user = state?.user;
        expect(user).toMatchObject({
          userName: 'hr-100@example.com',
          displayName: 'Test HR-100',
          title: 'Agent',
          active: true,
          externalId: 'HR-100',
          emails: expect.arrayContaining([
            expect.objectContaining({ type: 'work', value: 'hr-100@example.com' }),
          ]),
          phoneNumbers: [expect.objectContaining({ type: 'work', value: '+15555550100' })],
          [ENTERPRISE_USER_SCHEMA]: expect.objectContaining({
            department: 'Support',
            dateHire: '2024-03-01',
            employeeNumber: 'HR-100',
          }),
        });
        expect((user?.roles ?? []).map((r) => r.value).sort()).toEqual(['agent', 'employee']);
        // Cost center and level have no home in Genesys: never written anywhere.
        expect(JSON.stringify(user)).not.toMatch(/CC-9|costCenter|customFields/);

        const [first] = await stack.reports();
        const createReport = await stack.report(first?.id ?? '');
        expect(createReport.counts.created).toBe(1);
        expect(createReport.people).toEqual([
          expect.objectContaining({
            externalId: 'HR-100',
            outcome: 'created',
            correlationId: 'evt-create',
            requests: 2,
          }),
        ]);
        expect(createReport.discrepancies).toEqual([]);

        const before = await sim.admin.requests();
        await stack.send({
          id: 'evt-title',
          event: 'user.updated',
          data: hr('HR-100', { title: 'Senior Agent', phone: '+15555550100', hireDate: '2024-03-01' }),
        });
        await stack.drained();
        const after = await sim.admin.requests({ since: before.at(-1)?.seq ?? 0 });
        const scim = after.filter((r) => r.path.includes('/Users'));
        expect(scim.map((r) => r.method)).toEqual(['PATCH']);
        expect(scim[0]?.correlationId).toBe('evt-title');
        const history = (await sim.admin.getUserByExternalId('HR-100'))?.history ?? [];
        const patch = history.at(-1);
        expect(patch?.method).toBe('PATCH');
        expect(JSON.stringify(patch?.ops)).toContain('Senior Agent');
        expect(patch?.ops).toHaveLength(1);

        const quiet = await sim.admin.requests();
        await stack.send({
          id: 'evt-same',
          event: 'user.updated',
          data: hr('HR-100', { title: 'Senior Agent', phone: '+15555550100', hireDate: '2024-03-01' }),
        });
        await stack.drained();
        const none = (await sim.admin.requests({ since: quiet.at(-1)?.seq ?? 0 })).filter((r) =>
          r.path.includes('/Users'),
        );
        expect(none).toEqual([]);
        const latest = await stack.report((await stack.reports())[0]?.id ?? '');
        expect(latest.counts.unchanged).toBe(1);
      } finally {
        await stack.close();
      }
    },
  );
});
