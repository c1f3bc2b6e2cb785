import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { BatchDraftStore } from '../src/batch-draft-store.js';
import { BatchRunner } from '../src/batch-runner.js';
import { createKeys } from '../src/keys.js';
import type { PersonState } from '../src/person-state.js';
import type { RequestContext } from '../src/sync-ports.js';
import { hr, startEngineHarness } from './engine-harness.js';

describe('BatchRunner', () => {
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
});
