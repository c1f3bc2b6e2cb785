import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventType, HrRecord } from '@dirsync/contracts';
import { waitUntil } from '@dirsync/harness';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { ingestEffective } from '../src/effective-intake.js';
import type { ScheduleRunner } from '../src/schedule-runner.js';
import { type EngineHarness, hr, startEngineHarness } from './engine-harness.js';

const DAY = 86_400_000;
let delivery = 0;

/** Sends one event as the API does, effective at `effectiveAtMs` (undefined: now); returns its status. */
async function send(
  h: EngineHarness,
  event: { type: EventType; data: HrRecord; occurredAtMs: number; effectiveAtMs?: number },
  now: number,
) {
  const [status] = await ingestEffective(
    { people: h.engine.people, schedule: h.engine.schedule },
    [
      {
        idempotencyKey: `eff-${++delivery}`,
        type: event.type,
        occurredAtMs: event.occurredAtMs,
        data: event.data,
      },
    ],
    [event.effectiveAtMs],
    now,
  );
  return status;
}

/** Syncs whoever the schedule runner asked to be synced since the last call. */
async function syncRequested(h: EngineHarness): Promise<void> {
  const ids = [...new Set(h.requested.splice(0).flatMap((r) => r.externalIds))];
  if (ids.length > 0) await h.sync(ids);
}

async function targetUser(h: EngineHarness, externalId: string) {
  return (await h.sim.admin.getUserByExternalId(externalId))?.user ?? undefined;
}

/** A runner on a clock the test moves. */
function clockedRunner(h: EngineHarness, clock: { now: number }, extra = {}): ScheduleRunner {
  return h.engine.createScheduleRunner({ now: () => clock.now, leaseMs: 5_000, ...extra });
}

describe('effective-dated changes', () => {
  redisTest(
    'a termination effective in 3 s is applied then, and not before',
    async ({ redisUrl, prefix, redis }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const t0 = Date.now();
        await send(h, { type: 'user.created', data: hr('HR-1'), occurredAtMs: t0 - 1000 }, t0);
        await h.sync(['HR-1']);
        const clock = { now: t0 };
        const runner = clockedRunner(h, clock);
        expect(
          await send(
            h,
            {
              type: 'user.deactivated',
              data: { externalId: 'HR-1' },
              occurredAtMs: t0,
              effectiveAtMs: t0 + 3000,
            },
            t0,
          ),
        ).toEqual({ status: 'scheduled', externalId: 'HR-1' });
        expect((await h.engine.people.get('HR-1'))?.active).toBe(true);

        clock.now = t0 + 2999;
        expect(await runner.runDue()).toBe(0);
        await syncRequested(h);
        expect((await targetUser(h, 'HR-1'))?.active).toBe(true);

        clock.now = t0 + 3000;
        expect(await runner.runDue()).toBe(1);
        expect(h.requested).toEqual([{ externalIds: ['HR-1'], origin: 'schedule' }]);
        await syncRequested(h);
        expect((await targetUser(h, 'HR-1'))?.active).toBe(false);
        expect(await h.engine.schedule.count()).toBe(0);
        expect(await redis.keys(`${prefix}:sched:*`)).toEqual([]);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    "the worker's poller applies a change on its own within its time",
    async ({ redisUrl, prefix, redis }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      const runner = h.engine.createScheduleRunner({ pollMs: 50 });
      try {
        const t0 = Date.now();
        await send(h, { type: 'user.created', data: hr('HR-9'), occurredAtMs: t0 - 1000 }, t0);
        const due = t0 + 300;
        await send(
          h,
          { type: 'user.deactivated', data: { externalId: 'HR-9' }, occurredAtMs: t0, effectiveAtMs: due },
          t0,
        );
        runner.start();
        const appliedAt = await waitUntil(
          async () => ((await h.engine.people.get('HR-9'))?.active === false ? Date.now() : undefined),
          (at) => at !== undefined,
          { what: 'the scheduled deactivation to be applied', timeoutMs: 10_000 },
        );
        expect(appliedAt).toBeGreaterThanOrEqual(due);
        expect(await redis.zcard(`${prefix}:sched-due`)).toBe(0);
      } finally {
        await runner.stop();
        await h.close();
      }
    },
  );

  redisTest(
    'a correction for the same effective time wins; an older one arriving late changes nothing',
    async ({ redisUrl, prefix, redis: _redis }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const t0 = Date.now();
        const clock = { now: t0 };
        const runner = clockedRunner(h, clock);
        await send(h, { type: 'user.created', data: hr('HR-2'), occurredAtMs: t0 - 1000 }, t0);
        await h.sync(['HR-2']);
        const at = t0 + 60_000;
        await send(
          h,
          {
            type: 'user.updated',
            data: hr('HR-2', { title: 'Team Lead' }),
            occurredAtMs: t0,
            effectiveAtMs: at,
          },
          t0,
        );
        await send(
          h,
          {
            type: 'user.updated',
            data: hr('HR-2', { title: 'Senior Lead' }),
            occurredAtMs: t0 + 10,
            effectiveAtMs: at,
          },
          t0,
        );
        expect(
          await send(
            h,
            {
              type: 'user.updated',
              data: hr('HR-2', { title: 'Stale' }),
              occurredAtMs: t0 - 10,
              effectiveAtMs: at,
            },
            t0,
          ),
        ).toEqual({ status: 'stale', externalId: 'HR-2' });
        expect(await h.engine.schedule.list()).toEqual([
          expect.objectContaining({ externalId: 'HR-2', kind: 'update', fields: ['title'] }),
        ]);
        clock.now = at;
        await runner.runDue();
        await syncRequested(h);
        expect((await targetUser(h, 'HR-2'))?.title).toBe('Senior Lead');
      } finally {
        await h.close();
      }
    },
  );

  redisTest('a rescinded termination never deactivates', async ({ redisUrl, prefix, redis: _redis }) => {
    const h = await startEngineHarness({ redisUrl, prefix });
    try {
      const t0 = Date.now();
      const clock = { now: t0 };
      const runner = clockedRunner(h, clock);
      await send(h, { type: 'user.created', data: hr('HR-3'), occurredAtMs: t0 - 1000 }, t0);
      await h.sync(['HR-3']);
      const at = t0 + 60_000;
      await send(h, { type: 'user.deactivated', data: hr('HR-3'), occurredAtMs: t0, effectiveAtMs: at }, t0);
      // HR rescinds: the person's active record for that effective time, entered later.
      await send(h, { type: 'user.updated', data: hr('HR-3'), occurredAtMs: t0 + 5, effectiveAtMs: at }, t0);
      // The first termination delivered again under a new id, late: older, it changes nothing.
      await send(h, { type: 'user.deactivated', data: hr('HR-3'), occurredAtMs: t0, effectiveAtMs: at }, t0);
      expect(await h.engine.schedule.list()).toEqual([expect.objectContaining({ kind: 'no change' })]);
      clock.now = at + 1;
      await runner.runDue();
      await syncRequested(h);
      expect((await h.engine.people.get('HR-3'))?.active).toBe(true);
      expect((await targetUser(h, 'HR-3'))?.active).toBe(true);
      expect(await h.engine.schedule.count()).toBe(0);
    } finally {
      await h.close();
    }
  });

  redisTest(
    'an update before a pending termination applies at once; the termination still happens',
    async ({ redisUrl, prefix, redis: _redis }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const t0 = Date.now();
        const clock = { now: t0 };
        const runner = clockedRunner(h, clock);
        await send(h, { type: 'user.created', data: hr('HR-4'), occurredAtMs: t0 - 1000 }, t0);
        await h.sync(['HR-4']);
        const at = t0 + 60_000;
        await send(
          h,
          { type: 'user.deactivated', data: { externalId: 'HR-4' }, occurredAtMs: t0, effectiveAtMs: at },
          t0,
        );
        const now = t0 + 1000;
        expect(
          await send(
            h,
            { type: 'user.updated', data: hr('HR-4', { title: 'Lead' }), occurredAtMs: now },
            now,
          ),
        ).toMatchObject({ status: 'applied' });
        await h.sync(['HR-4']);
        expect(await targetUser(h, 'HR-4')).toMatchObject({ title: 'Lead', active: true });
        clock.now = at;
        await runner.runDue();
        await syncRequested(h);
        // The title fix survives the termination laid over it.
        expect(await targetUser(h, 'HR-4')).toMatchObject({ title: 'Lead', active: false });
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a runner that dies while applying: another applies the change exactly once',
    async ({ redisUrl, prefix, redis: _redis }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const t0 = Date.now();
        const clock = { now: t0 };
        await send(h, { type: 'user.created', data: hr('HR-5'), occurredAtMs: t0 - 1000 }, t0);
        await send(h, { type: 'user.created', data: hr('HR-6'), occurredAtMs: t0 - 1000 }, t0);
        await h.sync(['HR-5', 'HR-6']);
        const at = t0 + 60_000;
        for (const id of ['HR-5', 'HR-6']) {
          await send(
            h,
            { type: 'user.deactivated', data: { externalId: id }, occurredAtMs: t0, effectiveAtMs: at },
            t0,
          );
        }
        const revs = async () =>
          Promise.all(['HR-5', 'HR-6'].map(async (id) => (await h.engine.people.get(id))?.rev));
        const before = await revs();
        // Runner A claims both at their time and dies: after applying HR-5 (before committing), before HR-6.
        const dying = clockedRunner(h, clock, {
          afterApply: async () => {
            throw new Error('killed');
          },
        });
        clock.now = at;
        await expect(dying.runDue()).rejects.toThrow('killed');
        // Runner B: nothing while A's claim holds, everything once it has lapsed.
        const survivor = clockedRunner(h, clock);
        expect(await survivor.runDue()).toBe(0);
        clock.now = at + 5_001;
        expect(await survivor.runDue()).toBe(2);
        expect(await survivor.runDue()).toBe(0);
        const after = await revs();
        expect(after).toEqual(before.map((rev) => (rev ?? 0) + 1));
        await syncRequested(h);
        expect((await targetUser(h, 'HR-5'))?.active).toBe(false);
        expect((await targetUser(h, 'HR-6'))?.active).toBe(false);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a pre-hire is created inactive PREHIRE_DAYS ahead, roles in place, and activated at the start',
    async ({ redisUrl, prefix, redis: _redis }) => {
      const h = await startEngineHarness({ redisUrl, prefix, settings: { prehireDays: 3 } });
      try {
        const t0 = Date.now();
        const clock = { now: t0 };
        const runner = clockedRunner(h, clock);
        const start = t0 + 10 * DAY;
        await send(
          h,
          {
            type: 'user.created',
            data: hr('HR-7', { role: 'supervisor' }),
            occurredAtMs: t0,
            effectiveAtMs: start,
          },
          t0,
        );
        expect(await h.engine.schedule.list()).toEqual([
          expect.objectContaining({ kind: 'prehire', dueAt: new Date(start - 3 * DAY).toISOString() }),
        ]);
        clock.now = start - 3 * DAY - 1;
        expect(await runner.runDue()).toBe(0);
        clock.now = start - 3 * DAY;
        expect(await runner.runDue()).toBe(1);
        await syncRequested(h);
        const early = await targetUser(h, 'HR-7');
        expect(early?.active).toBe(false);
        expect((early?.roles ?? []).map((r) => r.value)).toContain('supervisor');
        expect(await h.engine.schedule.list()).toEqual([
          expect.objectContaining({ kind: 'hire', stage: 'final' }),
        ]);

        clock.now = start - 1;
        expect(await runner.runDue()).toBe(0);
        clock.now = start;
        expect(await runner.runDue()).toBe(1);
        await syncRequested(h);
        expect((await targetUser(h, 'HR-7'))?.active).toBe(true);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'without PREHIRE_DAYS a future hire is created at the start',
    async ({ redisUrl, prefix, redis: _redis }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const t0 = Date.now();
        const clock = { now: t0 };
        const runner = clockedRunner(h, clock);
        await send(
          h,
          { type: 'user.created', data: hr('HR-8'), occurredAtMs: t0, effectiveAtMs: t0 + DAY },
          t0,
        );
        expect(await h.engine.people.get('HR-8')).toBeUndefined();
        clock.now = t0 + DAY;
        await runner.runDue();
        await syncRequested(h);
        expect((await targetUser(h, 'HR-8'))?.active).toBe(true);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'a preview shows now and the next scheduled change',
    async ({ redisUrl, prefix, redis: _redis }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const t0 = Date.now();
        await send(h, { type: 'user.created', data: hr('HR-10'), occurredAtMs: t0 - 1000 }, t0);
        await h.sync(['HR-10']);
        await send(
          h,
          {
            type: 'user.deactivated',
            data: { externalId: 'HR-10' },
            occurredAtMs: t0,
            effectiveAtMs: t0 + DAY,
          },
          t0,
        );
        const preview = await h.engine.preview({
          event: 'user.updated',
          data: hr('HR-10', { title: 'Lead' }),
        });
        expect(preview.outcome).toBe('updated');
        expect(preview.nextScheduled).toMatchObject({
          externalId: 'HR-10',
          kind: 'deactivation',
          effectiveAt: new Date(t0 + DAY).toISOString(),
          outcome: 'deactivated',
        });
        expect(preview.nextScheduled?.requests.filter((r) => !r.sent)).toEqual([
          expect.objectContaining({ method: 'PATCH' }),
        ]);
        expect((await targetUser(h, 'HR-10'))?.active).toBe(true);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'overdue changes of one person are applied in effective order, whatever the batch',
    async ({ redisUrl, prefix, redis: _redis }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const t0 = Date.now();
        await send(h, { type: 'user.created', data: hr('HR-11'), occurredAtMs: t0 - 1000 }, t0);
        // Entered out of order: the later title first.
        await send(
          h,
          {
            type: 'user.updated',
            data: hr('HR-11', { title: 'Second' }),
            occurredAtMs: t0,
            effectiveAtMs: t0 + 2000,
          },
          t0,
        );
        await send(
          h,
          {
            type: 'user.updated',
            data: hr('HR-11', { title: 'First' }),
            occurredAtMs: t0,
            effectiveAtMs: t0 + 1000,
          },
          t0,
        );
        const clock = { now: t0 + 60_000 };
        // Another runner holds the earlier change (claimed, still applying): the later one waits for it.
        const held = await h.engine.schedule.claimDue(clock.now, 1, 5_000);
        expect(held.map((c) => c.change.fields.title)).toEqual(['First']);
        const runner = clockedRunner(h, clock, { batchSize: 1 });
        expect(await runner.runDue()).toBe(0);
        // That runner died; once its claim lapses both apply, the earlier first.
        clock.now += 5_001;
        expect(await runner.runDue()).toBe(2);
        expect((await h.engine.people.get('HR-11'))?.data.title).toBe('Second');
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'reconcile ignores snapshot rows not yet in effect: no drift, no orphan, nothing missing',
    async ({ redisUrl, prefix, redis: _redis }) => {
      const dir = await mkdtemp(join(tmpdir(), 'dirsync-effective-'));
      const snapshotSource = join(dir, 'snapshot.json');
      const h = await startEngineHarness({
        redisUrl,
        prefix,
        settings: { reconcile: { snapshotSource, maxDeactivatePercent: 100 } },
      });
      try {
        const t0 = Date.now();
        for (const id of ['HR-20', 'HR-22']) {
          await send(h, { type: 'user.created', data: hr(id), occurredAtMs: t0 - 1000 }, t0);
        }
        await h.sync(['HR-20', 'HR-22']);
        const later = new Date(t0 + DAY).toISOString();
        const earlier = new Date(t0 - DAY).toISOString();
        await writeFile(
          snapshotSource,
          JSON.stringify([
            { ...hr('HR-20', { title: 'Director' }), effectiveAt: later },
            { ...hr('HR-21'), effectiveAt: later },
            { ...hr('HR-22', { title: 'Manager' }), effectiveAt: earlier },
          ]),
        );
        const run = await h.engine.reconcile?.run({ runId: 'r1', apply: false, overrideBrake: false });
        expect(run?.comparison.missing).toEqual([]);
        expect(run?.comparison.orphans).toEqual([]);
        expect(run?.comparison.drifted.map((d) => d.externalId)).toEqual(['HR-22']);
      } finally {
        await h.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  redisTest(
    'PROTECTED_USERS count when a scheduled termination falls due',
    async ({ redisUrl, prefix, redis: _redis }) => {
      const h = await startEngineHarness({ redisUrl, prefix, settings: { protectedUsers: ['HR-12'] } });
      try {
        const t0 = Date.now();
        const clock = { now: t0 };
        await send(h, { type: 'user.created', data: hr('HR-12'), occurredAtMs: t0 - 1000 }, t0);
        await h.sync(['HR-12']);
        await send(
          h,
          {
            type: 'user.deactivated',
            data: { externalId: 'HR-12' },
            occurredAtMs: t0,
            effectiveAtMs: t0 + 1000,
          },
          t0,
        );
        clock.now = t0 + 1000;
        await clockedRunner(h, clock).runDue();
        const ids = [...new Set(h.requested.splice(0).flatMap((r) => r.externalIds))];
        const result = await h.sync(ids);
        expect(result.report.discrepancies).toEqual([
          expect.objectContaining({ externalId: 'HR-12', type: 'policy_violation', field: 'active' }),
        ]);
        expect((await targetUser(h, 'HR-12'))?.active).toBe(true);
      } finally {
        await h.close();
      }
    },
  );
});
