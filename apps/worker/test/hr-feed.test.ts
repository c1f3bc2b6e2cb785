import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { hr, startStack } from './stack.js';

describe('worker: what real HR feeds send', () => {
  redisTest(
    'two people who swap work emails in one webhook both land, with no failed job',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        await stack.send([
          { event: 'user.created', data: hr('HR-A') },
          { event: 'user.created', data: hr('HR-B') },
        ]);
        await stack.drained();
        await stack.send([
          { event: 'user.updated', data: hr('HR-A', { workEmail: 'hr-b@example.com' }) },
          { event: 'user.updated', data: hr('HR-B', { workEmail: 'hr-a@example.com' }) },
        ]);
        await stack.drained();
        expect((await stack.sim.admin.getUserByExternalId('HR-A'))?.user?.userName).toBe('hr-b@example.com');
        expect((await stack.sim.admin.getUserByExternalId('HR-B'))?.user?.userName).toBe('hr-a@example.com');
        expect(await stack.queue.getFailedCount()).toBe(0);
      } finally {
        await stack.close();
      }
    },
  );

  redisTest(
    'OUT_OF_SCOPE=leave leaves a person who falls out of scope and reports it once',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix, env: { OUT_OF_SCOPE: 'leave' } });
      try {
        await stack.send({ event: 'user.created', data: hr('HR-30') });
        await stack.drained();
        await stack.send({ event: 'user.updated', data: hr('HR-30', { workEmail: null }) });
        await stack.drained();
        await stack.send({ event: 'user.updated', data: hr('HR-30', { workEmail: null, title: 'x' }) });
        await stack.drained();
        const reports = await Promise.all((await stack.reports()).map((r) => stack.report(r.id)));
        const notes = reports.flatMap((r) => r.discrepancies).filter((d) => d.type === 'out_of_scope');
        expect(notes).toEqual([expect.objectContaining({ externalId: 'HR-30' })]);
        expect((await stack.sim.admin.getUserByExternalId('HR-30'))?.user?.active).toBe(true);
      } finally {
        await stack.close();
      }
    },
  );
});
