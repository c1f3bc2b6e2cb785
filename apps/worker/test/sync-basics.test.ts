import { ENTERPRISE_USER_SCHEMA } from '@dirsync/scim';
import { findFreePort, redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { hr, startStack, waitUntil } from './stack.js';

describe('worker: the fewest correct writes', () => {
  redisTest(
    'a cold create is two requests; a warm update one PATCH with If-Match; a no-op none',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        const { sim } = stack;
        await stack.send({
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

  redisTest(
    'worker metrics count people by outcome and SCIM requests by status, on the METRICS_HOST interface',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({
        redisUrl,
        prefix,
        env: { WORKER_METRICS_PORT: String(await findFreePort()), METRICS_HOST: '127.0.0.1' },
      });
      try {
        await stack.send([
          { event: 'user.created', data: hr('HR-300') },
          { event: 'user.created', data: hr('HR-301', { departmentCode: 'Sales', role: 'admin' }) },
        ]);
        await stack.drained();
        const port = stack.workers[0]?.metricsPort;
        // Bound to loopback only, not every interface.
        expect(stack.workers[0]?.metricsAddress).toBe('127.0.0.1');
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(text).toMatch(/dirsync_sync_people_total\{outcome="created"\} 1/);
        expect(text).toMatch(/dirsync_sync_people_total\{outcome="failed"\} 1/);
        expect(text).toMatch(/dirsync_scim_requests_total\{route="POST \/Users",status="201"\} 1/);
        expect(text).toContain('dirsync_sync_queue_lag_seconds_bucket');
        expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toMatchObject({
          status: 'ok',
          quarantine: null,
        });
      } finally {
        await stack.close();
      }
    },
  );

  redisTest(
    'several webhooks for one HR edit become one write once the changes have rested',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix, env: { SYNC_SETTLE_MS: '1500' } });
      try {
        await stack.send({ event: 'user.created', data: hr('HR-400') });
        await stack.drained();
        const before = (await stack.sim.admin.requests()).at(-1)?.seq ?? 0;
        // An HR admin saves a record field by field: five deliveries, each the full current record.
        for (let i = 1; i <= 5; i++) {
          await stack.send({ event: 'user.updated', data: hr('HR-400', { title: `draft ${i}` }) });
        }
        await stack.drained();
        const writes = (await stack.sim.admin.requests({ since: before })).filter(
          (r) => r.method === 'PATCH',
        );
        expect(writes).toHaveLength(1);
        expect((await stack.sim.admin.getUserByExternalId('HR-400'))?.user?.title).toBe('draft 5');
        // Deferring cost no attempt.
        const jobs = await stack.queue.getJobs(['completed']);
        expect(jobs.every((j) => j.attemptsMade <= 1)).toBe(true);
      } finally {
        await stack.close();
      }
    },
  );
});
