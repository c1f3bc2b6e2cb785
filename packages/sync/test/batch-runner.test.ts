import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { BatchDraftStore } from '../src/batch-draft-store.js';
import { BatchRunner } from '../src/batch-runner.js';
import { createKeys } from '../src/keys.js';
import type { PersonState } from '../src/person-state.js';
import type { RequestContext } from '../src/sync-ports.js';
import { hr, startEngineHarness } from './engine-harness.js';

describe('BatchRunner', () => {
  redisTest('the newest event wins, whatever the arrival order', async ({ redisUrl, prefix }) => {
    const h = await startEngineHarness({ redisUrl, prefix });
    try {
      const at = (s: number) => new Date(Date.UTC(2026, 10, 28, 9, 0, s)).toISOString();
      const ids = await h.send([
        { event: 'user.created', occurredAt: at(0), data: hr('O-1', { title: 'v0' }) },
        { event: 'user.updated', occurredAt: at(2), data: hr('O-1', { title: 'v2' }) },
        { event: 'user.updated', occurredAt: at(1), data: hr('O-1', { title: 'v1, late' }) },
      ]);
      const result = await h.sync(ids);
      expect(result.report.people).toEqual([
        expect.objectContaining({ externalId: 'O-1', outcome: 'created' }),
      ]);
      expect((await h.sim.admin.getUserByExternalId('O-1'))?.user?.title).toBe('v2');
      expect(
        await h.send({ event: 'user.updated', occurredAt: at(1), data: hr('O-1', { title: 'v1' }) }),
      ).toEqual([]);
    } finally {
      await h.close();
    }
  });

  redisTest(
    'people found contended earlier in a batch keep their re-check when a later person quarantines it',
    async ({ redisUrl, redis, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await h.send([
          { event: 'user.created', data: hr('C-1') },
          { event: 'user.created', data: hr('C-2') },
        ]);
        // Another sync holds C-1 when the batch reaches it; C-2 then meets a target refusing our credentials.
        const held = await h.engine.people.claim('C-1');
        await h.sim.admin.setFaults({
          failNext: [{ pathPattern: '/Users', status: 401, detail: 'token revoked', count: 1000 }],
        });
        const result = await h.run(['C-1', 'C-2']);
        expect(result.kind).toBe('quarantined');
        expect((await h.engine.health.current())?.reason).toBe('auth');

        // The holder dies without applying C-1: the sweeper's re-check (after one lock lifetime) must find them.
        if (held) await h.engine.people.release(held.lock);
        const later = Date.now() + 10 * 60_000;
        expect(await h.engine.people.takeDueContended(10, later)).toEqual(['C-1']);
        expect(await redis.exists(`${prefix}:contended`)).toBe(0);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a person who fails for good and is fixed by a newer revision in the same run is not reported failed',
    async ({ redisUrl, redis, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        // The first record asks for a role the policy refuses in Sales; HR corrects it while that sync runs.
        await h.send({
          event: 'user.created',
          occurredAt: '2026-11-28T09:00:00Z',
          data: hr('F-1', { departmentCode: 'Sales', role: 'admin' }),
        });
        let corrected = false;
        const syncer = {
          async sync(state: PersonState, ctx?: RequestContext) {
            if (!corrected) {
              corrected = true;
              await h.send({
                event: 'user.updated',
                occurredAt: '2026-11-28T09:00:05Z',
                data: hr('F-1', { departmentCode: 'Sales', role: 'agent' }),
              });
            }
            return h.engine.syncer.sync(state, ctx);
          },
        };
        const runner = new BatchRunner({
          people: h.engine.people,
          drafts: new BatchDraftStore({ redis, keys: createKeys(prefix) }),
          syncer,
          reports: h.engine.reports,
          health: h.engine.health,
        });
        const result = await runner.run({
          jobId: 'job-fix',
          externalIds: ['F-1'],
          origin: 'webhook',
          finalAttempt: false,
        });
        if (result.kind !== 'completed') throw new Error(`expected completed, got ${result.kind}`);
        expect(result.report.people).toEqual([
          expect.objectContaining({ externalId: 'F-1', outcome: 'created' }),
        ]);
        expect(result.report.counts.failed ?? 0).toBe(0);
        // Nothing left failed: no failed-person job, and the job itself succeeds.
        expect(result.failures).toEqual([]);
        expect((await h.sim.admin.getUserByExternalId('F-1'))?.user?.roles?.map((r) => r.value)).toContain(
          'agent',
        );
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    "edits behind the engine's back: re-read, re-diff, re-send; everything converges",
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const ids = Array.from({ length: 8 }, (_, i) => `C-${i}`);
        await h.sync(await h.send(ids.map((id) => ({ event: 'user.created' as const, data: hr(id) }))));
        await h.sim.admin.setFaults({ seed: 7, conflictRate: 0.5 });
        const result = await h.sync(
          await h.send(
            ids.map((id) => ({ event: 'user.updated' as const, data: hr(id, { title: 'Lead' }) })),
          ),
        );
        expect(result.report.counts.updated).toBe(8);
        for (const id of ids) expect((await h.sim.admin.getUserByExternalId(id))?.user?.title).toBe('Lead');
        expect((await h.sim.admin.counters()).conflicts).toBeGreaterThan(0);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'conflicts that never stop: conflict_exhausted after 3 re-sends, a retry, and the report tells both',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await h.sync(await h.send({ event: 'user.created', data: hr('X-1') }));
        await h.sim.admin.setFaults({ conflictRate: 1 });
        const ids = await h.send({
          id: 'evt-x',
          event: 'user.updated',
          data: hr('X-1', { title: 'Contested' }),
        });
        const first = await h.run(ids, { jobId: 'job-x', finalAttempt: false });
        expect(first).toMatchObject({
          kind: 'retry',
          pending: ['X-1'],
          reason: expect.stringContaining('conflict'),
        });
        expect((await h.sim.admin.requests()).filter((r) => r.method === 'PATCH')).toHaveLength(4);

        await h.sim.admin.setFaults({ conflictRate: 0 });
        const second = await h.run(ids, { jobId: 'job-x', finalAttempt: false });
        if (second.kind !== 'completed') throw new Error(`expected completed, got ${second.kind}`);
        expect((await h.sim.admin.getUserByExternalId('X-1'))?.user?.title).toBe('Contested');
        expect(second.report.counts.updated).toBe(1);
        expect(second.report.discrepancies).toEqual([
          expect.objectContaining({ externalId: 'X-1', type: 'conflict_exhausted', correlationId: 'evt-x' }),
        ]);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'out of attempts, a retryable failure becomes a failure for good and the person is no longer pending',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        await h.sync(await h.send({ event: 'user.created', data: hr('L-1') }));
        await h.sim.admin.setFaults({ conflictRate: 1 });
        const ids = await h.send({ event: 'user.updated', data: hr('L-1', { title: 'Never' }) });
        const last = await h.run(ids, { finalAttempt: true });
        if (last.kind !== 'completed') throw new Error(`expected completed, got ${last.kind}`);
        expect(last.failures).toEqual([
          expect.objectContaining({ externalId: 'L-1', code: 'conflict_exhausted' }),
        ]);
        expect(last.report.counts.failed).toBe(1);
        const state = await h.engine.people.get('L-1');
        expect(state).toMatchObject({ appliedRev: state?.rev, failedRev: state?.rev });
        expect(await h.engine.people.pendingCount()).toBe(0);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a person whose changes have not rested is deferred without a request',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix, settings: { quietPeriodMs: 60_000 } });
      try {
        const ids = await h.send({ event: 'user.created', data: hr('Q-1') });
        const deferred = await h.run(ids);
        expect(deferred).toMatchObject({ kind: 'deferred', people: ['Q-1'] });
        expect((await h.sim.admin.counters()).requests).toBe(0);
      } finally {
        await h.close();
      }
    },
  );
});
