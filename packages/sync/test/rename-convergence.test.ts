import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { type EngineHarness, hr, startEngineHarness } from './engine-harness.js';

async function userNameOf(h: EngineHarness, externalId: string): Promise<string | undefined> {
  return (await h.sim.admin.getUserByExternalId(externalId))?.user?.userName;
}

/** Creates people with their default addresses, then syncs one batch of renames and returns it. */
async function renameInOneBatch(h: EngineHarness, renames: Array<[string, string]>) {
  await h.sync(await h.send(renames.map(([id]) => ({ event: 'user.created' as const, data: hr(id) }))));
  const changed = await h.send(
    renames.map(([id, email]) => ({ event: 'user.updated' as const, data: hr(id, { workEmail: email }) })),
  );
  return h.sync(changed);
}

describe('renames that trade addresses converge', () => {
  redisTest(
    'two people who swap work emails in one batch: both land, no failure',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const result = await renameInOneBatch(h, [
          ['HR-A', 'hr-b@example.com'],
          ['HR-B', 'hr-a@example.com'],
        ]);
        expect(result.failures).toEqual([]);
        expect(result.report.counts).toMatchObject({ updated: 2, failed: 0 });
        expect(result.report.discrepancies).toEqual([]);
        expect(await userNameOf(h, 'HR-A')).toBe('hr-b@example.com');
        expect(await userNameOf(h, 'HR-B')).toBe('hr-a@example.com');
        // Bounded: a few requests per person, however the cycle is broken.
        // Each: a refused PATCH and a lookup of the holder; one steps aside (one PATCH); then each rename.
        expect(result.report.people.map((p) => p.requests)).toEqual([4, 3]);
        // A replay changes nothing: nobody is left on a temporary userName.
        const again = await h.sync(
          await h.send([
            { event: 'user.updated', data: hr('HR-A', { workEmail: 'hr-b@example.com', title: 'x' }) },
            { event: 'user.updated', data: hr('HR-B', { workEmail: 'hr-a@example.com', title: 'x' }) },
          ]),
        );
        expect(again.report.counts).toMatchObject({ updated: 2 });
        expect(again.report.people.map((p) => p.requests)).toEqual([1, 1]);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a chain (A takes B’s, B takes C’s, C moves on) converges in one batch',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const result = await renameInOneBatch(h, [
          ['HR-A', 'hr-b@example.com'],
          ['HR-B', 'hr-c@example.com'],
          ['HR-C', 'hr-new@example.com'],
        ]);
        expect(result.failures).toEqual([]);
        expect(result.report.counts).toMatchObject({ updated: 3, failed: 0 });
        expect(await userNameOf(h, 'HR-A')).toBe('hr-b@example.com');
        expect(await userNameOf(h, 'HR-B')).toBe('hr-c@example.com');
        expect(await userNameOf(h, 'HR-C')).toBe('hr-new@example.com');
        for (const person of result.report.people) expect(person.requests).toBeLessThanOrEqual(4);
      } finally {
        await h.close();
      }
    },
  );

  redisTest('a cycle of three converges in one batch', async ({ redisUrl, prefix }) => {
    const h = await startEngineHarness({ redisUrl, prefix });
    try {
      const result = await renameInOneBatch(h, [
        ['HR-A', 'hr-b@example.com'],
        ['HR-B', 'hr-c@example.com'],
        ['HR-C', 'hr-a@example.com'],
      ]);
      expect(result.failures).toEqual([]);
      expect(result.report.counts).toMatchObject({ updated: 3, failed: 0 });
      expect(await userNameOf(h, 'HR-A')).toBe('hr-b@example.com');
      expect(await userNameOf(h, 'HR-B')).toBe('hr-c@example.com');
      expect(await userNameOf(h, 'HR-C')).toBe('hr-a@example.com');
      for (const person of result.report.people) expect(person.requests).toBeLessThanOrEqual(6);
    } finally {
      await h.close();
    }
  });

  redisTest(
    'a new person listed first takes the address of one who moves to a new one in the same batch',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await h.sync(await h.send({ event: 'user.created', data: hr('HR-OLD') }));
        const result = await h.sync(
          await h.send([
            { event: 'user.created', data: hr('HR-NEW', { workEmail: 'hr-old@example.com' }) },
            { event: 'user.updated', data: hr('HR-OLD', { workEmail: 'hr-old.left@example.com' }) },
          ]),
        );
        expect(result.failures).toEqual([]);
        expect(result.report.counts).toMatchObject({ created: 1, updated: 1, failed: 0 });
        expect(await userNameOf(h, 'HR-NEW')).toBe('hr-old@example.com');
        expect(await userNameOf(h, 'HR-OLD')).toBe('hr-old.left@example.com');
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a holder whose rename is pending outside the batch is renamed first; a holder who keeps the address is named',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await h.sync(
          await h.send(
            [hr('HR-A'), hr('HR-B'), hr('HR-K')].map((data) => ({ event: 'user.created' as const, data })),
          ),
        );
        // HR-B's move arrived but its own job has not run yet.
        await h.send({ event: 'user.updated', data: hr('HR-B', { workEmail: 'hr-b2@example.com' }) });
        await h.send({ event: 'user.updated', data: hr('HR-A', { workEmail: 'hr-b@example.com' }) });
        const moved = await h.sync(['HR-A']);
        expect(moved.failures).toEqual([]);
        expect(await userNameOf(h, 'HR-A')).toBe('hr-b@example.com');
        expect(await userNameOf(h, 'HR-B')).toBe('hr-b2@example.com');
        expect(moved.report.people.map((p) => [p.externalId, p.outcome]).sort()).toEqual([
          ['HR-A', 'updated'],
          ['HR-B', 'updated'],
        ]);

        // HR-K stays where it is: HR-A cannot have its address, and the report says who holds it.
        await h.send({ event: 'user.updated', data: hr('HR-A', { workEmail: 'hr-k@example.com' }) });
        const refused = await h.sync(['HR-A']);
        expect(refused.failures).toEqual([
          expect.objectContaining({ externalId: 'HR-A', code: 'username_taken' }),
        ]);
        const detail = refused.report.discrepancies.find((d) => d.externalId === 'HR-A')?.detail ?? '';
        expect(detail).toContain('externalId "HR-K"');
        expect(detail).not.toContain('[email]');
        expect(await userNameOf(h, 'HR-K')).toBe('hr-k@example.com');

        // A user made by hand, outside dirsync, is "not managed by dirsync".
        await h.sim.admin.seedUser({ userName: 'by-hand@example.com', displayName: 'By Hand' });
        await h.send({ event: 'user.updated', data: hr('HR-A', { workEmail: 'by-hand@example.com' }) });
        const manual = await h.sync(['HR-A']);
        expect(manual.report.discrepancies.find((d) => d.externalId === 'HR-A')?.detail).toContain(
          'not managed by dirsync',
        );
      } finally {
        await h.close();
      }
    },
  );
});
