import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOBS, QUEUES } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { createKeys } from '../src/keys.js';
import { searchDoc } from '../src/search-terms.js';
import { addFailedPersonJob } from '../src/sync-queue.js';
import { startConsoleHarness } from './console-harness.js';
import { hr } from './engine-harness.js';

describe('the console reader', () => {
  redisTest(
    'finds people by externalId, e-mail and any word of their name; a rename drops the old words',
    async ({ redisUrl, redis, prefix }) => {
      const h = await startConsoleHarness({ redisUrl, prefix });
      try {
        const maria = hr('EMP-1001', {
          firstName: 'María',
          lastName: 'López',
          workEmail: 'maria.lopez@example.com',
        });
        await h.sync(
          await h.send([
            { event: 'user.created', data: maria },
            { event: 'user.created', data: hr('EMP-1002', { firstName: 'Mario', lastName: 'Rossi' }) },
          ]),
        );
        const ids = async (q: string) => (await h.console.search(q)).results.map((r) => r.externalId);
        expect(await ids('emp-1001')).toEqual(['EMP-1001']);
        expect(await ids('EMP-10')).toEqual(['EMP-1001', 'EMP-1002']);
        expect(await ids('maria.lo')).toEqual(['EMP-1001']);
        expect(await ids('lóp')).toEqual(['EMP-1001']);
        expect(await ids('MARÍA LÓ')).toEqual(['EMP-1001']);
        expect(await ids('mari')).toEqual(['EMP-1001', 'EMP-1002']);
        expect(await ids('nobody')).toEqual([]);
        const [found] = (await h.console.search('lopez')).results;
        expect(found).toEqual({
          externalId: 'EMP-1001',
          userName: 'maria.lopez@example.com',
          displayName: 'María López',
          active: true,
          state: 'synced',
        });

        await h.sync(
          await h.send({
            event: 'user.updated',
            data: { ...maria, lastName: 'Ruiz', workEmail: 'maria.ruiz@example.com' },
          }),
        );
        expect(await ids('lópez')).toEqual([]);
        expect(await ids('maria.lopez')).toEqual([]);
        expect(await ids('ruiz')).toEqual(['EMP-1001']);
        expect(await redis.zrangebylex(`${prefix}:search:terms`, '[lópez', '[lópez\uffff')).toEqual([]);

        // Sent by HR, not synced yet: found by their exact externalId, through the person store.
        await h.send({ event: 'user.created', data: hr('EMP-2001') });
        expect((await h.console.search('EMP-2001')).results).toEqual([
          { externalId: 'EMP-2001', active: true, state: 'pending' },
        ]);
      } finally {
        await h.close();
      }
    },
  );

  redisTest('answers a search over 10,000 people well under 200 ms', async ({ redisUrl, redis, prefix }) => {
    const h = await startConsoleHarness({ redisUrl, prefix });
    try {
      const keys = createKeys(prefix);
      const first = ['Ana', 'Ben', 'Chen', 'Dana', 'Eli', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Jun'];
      for (let start = 0; start < 10_000; start += 1000) {
        const pipeline = redis.pipeline();
        for (let n = start; n < start + 1000; n++) {
          const id = `P-${String(n).padStart(5, '0')}`;
          const name = `${first[n % 10]} Family${n}`;
          const doc = searchDoc(id, { userName: `user${n}@example.com`, displayName: name });
          pipeline.hset(keys.searchDocs, id, JSON.stringify(doc));
          pipeline.zadd(keys.searchTerms, ...doc.t.flatMap((t) => [0, `${t}\0${id}`]));
          pipeline.hset(keys.person(id), 'ext', id, 'data', '{}', 'rev', 1, 'appliedRev', 1, 'active', '1');
        }
        await pipeline.exec();
      }
      const times: number[] = [];
      for (const q of ['ana', 'family12', 'user99', 'P-0', 'p-09999', 'goran family4', 'fatima', 'x']) {
        for (let i = 0; i < 10; i++) {
          const started = performance.now();
          const answer = await h.console.search(q);
          times.push(performance.now() - started);
          if (q === 'ana') {
            expect(answer.results).toHaveLength(50);
            expect(answer.truncated).toBe(true);
          }
          if (q === 'p-09999') expect(answer.results.map((r) => r.externalId)).toEqual(['P-09999']);
        }
      }
      times.sort((a, b) => a - b);
      const p95 = times[Math.floor(times.length * 0.95)] ?? Number.POSITIVE_INFINITY;
      expect(p95).toBeLessThan(200);
    } finally {
      await h.close();
    }
  });

  redisTest(
    'the overview counts outcomes by minute and hour, the budget in use and failed people',
    async ({ redisUrl, redis, prefix }) => {
      const h = await startConsoleHarness({ redisUrl, prefix });
      try {
        await h.sync(
          await h.send([
            { event: 'user.created', data: hr('O-1') },
            { event: 'user.created', data: hr('O-2') },
            { event: 'user.created', data: hr('O-3', { departmentCode: 'Sales', role: 'admin' }) },
          ]),
        );
        await h.sync(await h.send({ event: 'user.updated', data: hr('O-1', { title: 'Lead' }) }));
        const spent = (await h.sim.admin.counters()).requests;
        const view = await h.console.overview();
        const sum = (buckets: typeof view.throughput.hour) =>
          buckets.reduce<Record<string, number>>((all, b) => {
            for (const [k, n] of Object.entries(b.counts)) all[k] = (all[k] ?? 0) + (n ?? 0);
            return all;
          }, {});
        expect(view.throughput.hour).toHaveLength(60);
        expect(view.throughput.day).toHaveLength(24);
        expect(sum(view.throughput.hour)).toEqual({ created: 2, updated: 1, failed: 1 });
        expect(sum(view.throughput.day)).toEqual({ created: 2, updated: 1, failed: 1 });
        expect(Date.parse(view.throughput.hour.at(-1)?.at ?? '')).toBeLessThanOrEqual(Date.now());
        expect(view.budget).toEqual({
          usedLastMinute: spent,
          limitPerMinute: 100_000,
          rateLimited429LastHour: 0,
        });
        expect(view.failedPeople).toBe(1);
        expect(view.quarantine).toEqual({ active: false });
        expect(view.backlog).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, prioritized: 0 });
        expect(view.lastReconcile).toBeUndefined();

        // A 429 is counted, and the sync's entry shows it before the request that went through.
        await h.sim.admin.setFaults({
          failNext: [{ method: 'POST', pathPattern: '/Users', status: 429, retryAfterSeconds: 0, count: 1 }],
        });
        await h.sync(await h.send({ event: 'user.created', data: hr('O-4') }));
        expect((await h.console.overview()).budget.rateLimited429LastHour).toBe(1);
        const [sync] = await h.entries('O-4', 'sync');
        expect(sync?.requests.map((r) => [r.method, r.status])).toEqual([
          ['GET', 200],
          ['POST', 429],
          ['POST', 201],
        ]);

        // Fixed by HR: the person is no longer counted failed.
        await h.sync(
          await h.send({
            event: 'user.updated',
            data: hr('O-3', { departmentCode: 'Sales', role: 'agent' }),
          }),
        );
        expect((await h.console.overview()).failedPeople).toBe(0);
        expect(await redis.ttl(`${prefix}:stats:m:${Math.floor(Date.now() / 60_000)}`)).toBeGreaterThan(
          24 * 3600,
        );
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    'the pending diff is judged from the cache with no request; a live read spends exactly one',
    async ({ redisUrl, redis, prefix }) => {
      const h = await startConsoleHarness({ redisUrl, prefix });
      try {
        await h.sync(await h.send({ event: 'user.created', data: hr('D-1') }));
        await h.send([
          { event: 'user.updated', data: hr('D-1', { title: 'Lead' }) },
          { event: 'user.created', data: hr('D-2') },
        ]);
        const before = (await h.sim.admin.counters()).requests;
        const person = await h.console.person('D-1');
        const scimId = (await h.sim.admin.getUserByExternalId('D-1'))?.user?.id;
        expect(person?.hr).toMatchObject({ event: 'user.updated', active: true, rev: 2, appliedRev: 1 });
        expect(person?.hr?.data.title).toBe('Lead');
        expect(person?.target).toMatchObject({ source: 'cache', scimId });
        expect(person?.pending?.outcome).toBe('updated');
        expect(person?.pending?.requests).toEqual([
          expect.objectContaining({ method: 'PATCH', path: `/Users/${scimId}`, sent: false }),
        ]);
        expect(JSON.stringify(person?.pending?.requests)).toContain('Lead');
        const unsynced = await h.console.person('D-2');
        expect(unsynced?.pending?.requests).toEqual([]);
        expect(unsynced?.pending?.detail).toMatch(/not in the target cache/);
        expect(unsynced?.target).toBeUndefined();
        expect((await h.sim.admin.counters()).requests).toBe(before);

        const live = await h.console.person('D-1', { live: true });
        expect(live?.target).toMatchObject({ source: 'live', scimId });
        expect(live?.target?.user?.title).toBe('Agent');
        expect((await h.sim.admin.counters()).requests).toBe(before + 1);
        const liveUnsynced = await h.console.person('D-2', { live: true });
        expect(liveUnsynced?.target).toBeUndefined();
        expect(liveUnsynced?.liveError).toBe('not in the target');
        expect((await h.sim.admin.counters()).requests).toBe(before + 2);
        expect(await h.console.person('NOBODY')).toBeUndefined();
        // A live read leaves the cache as the sync wrote it.
        expect(await redis.exists(`${prefix}:target:D-2`)).toBe(0);
      } finally {
        await h.close();
      }
    },
  );

  redisTest(
    're-sync queues the person and grows the timeline; retry re-runs their failed job',
    async ({ redisUrl, redis, prefix }) => {
      const h = await startConsoleHarness({ redisUrl, prefix });
      const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
      // The worker's way with a failed-person job's first run: it fails with the recorded reason.
      const worker = new Worker(
        QUEUES.sync,
        async (job) => {
          if (job.name === JOBS.syncUser && job.attemptsMade === 0)
            throw new UnrecoverableError('policy_violation: role refused');
          return {};
        },
        { connection, prefix, autorun: false },
      );
      try {
        const synced = await h.sync(
          await h.send({
            event: 'user.created',
            data: hr('Q-1', { departmentCode: 'Sales', role: 'admin' }),
          }),
        );
        const [failure] = synced.failures;
        if (!failure) throw new Error('the policy should have refused Q-1');
        await addFailedPersonJob(h.queue, failure, 'webhook');
        const failedOnce = new Promise((resolve) => worker.once('failed', resolve));
        void worker.run();
        await failedOnce;
        const person = await h.console.person('Q-1');
        expect(person?.failedJobs).toEqual([
          expect.objectContaining({ code: 'policy_violation', message: 'role refused', attempts: 1 }),
        ]);
        await worker.pause();

        const syncsBefore = (await h.entries('Q-1', 'sync')).length;
        const resync = await h.console.resync('Q-1');
        if (!resync) throw new Error('Q-1 has HR state: the re-sync should be queued');
        const job = await h.queue.getJob(resync.jobId);
        expect(job?.data).toEqual({ externalIds: ['Q-1'], origin: 'retry' });
        expect((await h.entries('Q-1', 'resync'))[0]).toMatchObject({ by: 'operator', jobId: resync.jobId });
        await h.run(['Q-1'], { jobId: resync.jobId });
        expect((await h.entries('Q-1', 'sync')).length).toBe(syncsBefore + 1);
        expect(await h.console.resync('NOBODY')).toBeUndefined();
        expect(await redis.sismember(`${prefix}:failed-people`, 'Q-1')).toBe(1);

        const [failedJob] = person?.failedJobs ?? [];
        expect(await h.console.retryFailed('Q-1')).toEqual({ retried: [failedJob?.jobId] });
        expect(await (await h.queue.getJob(failedJob?.jobId ?? ''))?.getState()).toBe('waiting');
        expect(await h.console.retryFailed('Q-1')).toEqual({ retried: [] });
      } finally {
        await worker.close();
        await connection.quit();
        await h.close();
      }
    },
  );

  redisTest(
    "reconcile findings go on each person's timeline; the overview names the last run",
    async ({ redisUrl, redis, prefix }) => {
      const dir = await mkdtemp(join(tmpdir(), 'dirsync-console-'));
      const snapshot = join(dir, 'hr.json');
      const h = await startConsoleHarness({
        redisUrl,
        prefix,
        settings: { reconcile: { snapshotSource: snapshot, maxDeactivatePercent: 100 } },
      });
      try {
        await h.sync(await h.send({ event: 'user.created', data: hr('K-1') }));
        await writeFile(snapshot, JSON.stringify([hr('K-1', { title: 'Drifted' }), hr('K-2')]));
        const run = await h.engine.reconcile?.run({ runId: 'rc-1', apply: false, overrideBrake: false });
        expect(await h.entries('K-1', 'reconcile')).toEqual([
          expect.objectContaining({
            reportId: run?.report.id,
            type: 'attribute_drift',
            field: 'title',
            applied: false,
          }),
        ]);
        expect(await h.entries('K-2', 'reconcile')).toEqual([
          expect.objectContaining({ type: 'missing_in_target', applied: false }),
        ]);
        expect(JSON.stringify(await h.engine.timeline.read('K-1'))).not.toContain('Drifted');
        expect(await redis.pttl(`${prefix}:timeline:K-2`)).toBeGreaterThan(0);
        const { lastReconcile } = await h.console.overview();
        expect(lastReconcile).toMatchObject({
          reportId: run?.report.id,
          dryRun: true,
          drift: { attribute_drift: 1, missing_in_target: 1 },
          brake: { held: false },
        });
      } finally {
        await h.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
