import { JOBS, QUEUES } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { describe, expect } from 'vitest';
import { ADMIN, securedEnv, startTestApi } from './harness.js';

const AUTH = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;
const POLICY_TEXT = 'role "admin" is not allowed for department "Sales" (allowed: agent, supervisor)';

interface BoardJob {
  id: string;
  name: string;
  failedReason?: string;
  stacktrace: string[];
  externalUrl?: { href: string; displayText?: string };
  data: { externalId?: string; externalIds?: string[]; failure?: { code: string; message: string } };
}

/** One job failed the way the worker fails a person blocked by the policy. */
async function failOnePerson(
  redisUrl: string,
  prefix: string,
  queue: Queue,
  externalId = 'HR-P1',
): Promise<Job> {
  const failure = { code: 'policy_violation', message: POLICY_TEXT, rev: 1 };
  const job = await queue.add(JOBS.syncUser, { externalId, origin: 'webhook', failure });
  const worker = new Worker(
    queue.name,
    async () => {
      throw new UnrecoverableError(`${failure.code}: ${failure.message} (report rep-1)`);
    },
    { connection: { url: redisUrl }, prefix },
  );
  try {
    await new Promise<void>((resolve) => worker.on('failed', () => resolve()));
  } finally {
    await worker.close();
  }
  return job;
}

describe('dashboard (Bull Board)', () => {
  redisTest(
    'failed-job text shows codes and ids, not the role or department',
    async ({ redisUrl, redis, prefix }) => {
      const queue = new Queue(QUEUES.sync, { connection: redis.duplicate(), prefix });
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      try {
        const job = await failOnePerson(redisUrl, prefix, queue);
        // What BullMQ keeps is untouched (the engine's text): only the board masks.
        expect((await queue.getJob(String(job.id)))?.failedReason).toContain('"Sales"');
        const list = (await (
          await fetch(`${api.url}/admin/queues/api/queues?activeQueue=sync&status=failed`, {
            headers: { authorization: AUTH },
          })
        ).json()) as { queues: Array<{ name: string; jobs: BoardJob[] }> };
        const one = (await (
          await fetch(`${api.url}/admin/queues/api/queues/sync/${job.id}`, {
            headers: { authorization: AUTH },
          })
        ).json()) as { job: BoardJob };
        const shown = [list.queues.find((q) => q.name === 'sync')?.jobs[0], one.job];
        for (const board of shown) {
          expect(board?.failedReason).toBe(
            'policy_violation: role "…" is not allowed for department "…" (allowed: agent, supervisor) (report rep-1)',
          );
          expect(board?.data.externalId).toBe('HR-P1');
          expect(board?.data.failure?.code).toBe('policy_violation');
          const text = JSON.stringify(board);
          expect(text).not.toContain('admin\\"');
          expect(text).not.toContain('Sales');
          // The trace (with this file's path) stays in BullMQ; the board shows the one-line reason instead.
          expect(board?.stacktrace).toEqual([]);
        }
      } finally {
        await api.close();
        await queue.close();
      }
    },
  );

  redisTest(
    'failed jobs are named by their people, give one line code: message and link to the console',
    async ({ redisUrl, redis, prefix }) => {
      const queue = new Queue(QUEUES.sync, { connection: redis.duplicate(), prefix });
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      const failure = { code: 'policy_violation', message: POLICY_TEXT, rev: 1 };
      // What the worker adds for a person who failed for good, and a batch that failed for an unforeseen reason.
      const person = await queue.add(JOBS.syncUser, { externalId: 'maria.k', origin: 'webhook', failure });
      const batch = await queue.add(JOBS.syncBatch, {
        externalIds: ['HR 7/ä', 'anna.b', 'c.d', 'e.f'],
        origin: 'webhook',
      });
      const sweep = await queue.add(JOBS.sweep, {});
      const worker = new Worker(
        queue.name,
        async (job) => {
          if (job.name === JOBS.syncUser) {
            throw new UnrecoverableError(`${failure.code}: ${failure.message} (report rep-1)`);
          }
          // A multi-line message quoting a source path, as a bug's TypeError or a library's error may.
          throw new UnrecoverableError(
            'Cannot read properties of undefined\n  in /srv/dirsync/packages/sync/dist/batch-runner.js:42:7',
          );
        },
        { connection: { url: redisUrl }, prefix },
      );
      try {
        let failed = 0;
        await new Promise<void>((resolve) =>
          worker.on('failed', () => {
            failed += 1;
            if (failed === 3) resolve();
          }),
        );
        // What the board UI asks for: the failed tab of the sync queue, and one job's page.
        const list = (await (
          await fetch(
            `${api.url}/admin/queues/api/queues?activeQueue=sync&status=failed&page=1&jobsPerPage=10`,
            { headers: { authorization: AUTH } },
          )
        ).json()) as { queues: Array<{ name: string; jobs: BoardJob[] }> };
        const jobs = list.queues.find((q) => q.name === 'sync')?.jobs ?? [];
        const byId = new Map(jobs.map((j) => [j.id, j]));
        const one = (await (
          await fetch(`${api.url}/admin/queues/api/queues/sync/${person.id}`, {
            headers: { authorization: AUTH },
          })
        ).json()) as { job: BoardJob };

        for (const shown of [byId.get(String(person.id)), one.job]) {
          expect(shown?.id).toBe(person.id);
          expect(shown?.name).toBe('maria.k');
          expect(shown?.failedReason).toBe(
            'policy_violation: role "…" is not allowed for department "…" (allowed: agent, supervisor) (report rep-1)',
          );
          expect(shown?.externalUrl).toEqual({
            href: '/admin/people/maria.k',
            displayText: 'maria.k in the console',
          });
          expect(shown?.data).toEqual({
            externalId: 'maria.k',
            origin: 'webhook',
            failure: { code: 'policy_violation', message: expect.any(String), rev: 1 },
          });
        }
        const batchShown = byId.get(String(batch.id));
        expect(batchShown?.name).toBe('HR 7/ä (+3)');
        expect(batchShown?.failedReason).toBe('error: Cannot read properties of undefined in …');
        expect(batchShown?.externalUrl?.href).toBe('/admin/people/HR%207%2F%C3%A4');
        const sweepShown = byId.get(String(sweep.id));
        expect(sweepShown?.name).toBe(JOBS.sweep);
        expect(sweepShown?.externalUrl).toBeUndefined();

        expect(jobs).toHaveLength(3);
        for (const shown of [...jobs, one.job]) {
          expect(shown.failedReason).not.toMatch(/[\n\r]/);
          expect(shown.failedReason).toMatch(/^[a-z_]+: \S/);
          expect(shown.stacktrace).toEqual([]);
          const text = JSON.stringify(shown);
          for (const path of ['dashboard.test', '/srv/dirsync', 'node_modules', 'batch-runner.js']) {
            expect(text).not.toContain(path);
          }
        }
        // BullMQ keeps the trace for developers: the board alone leaves it out.
        expect((await queue.getJob(String(batch.id)))?.stacktrace?.join('\n')).toContain('dashboard.test');

        // The board's header links to the console.
        const page = await (
          await fetch(`${api.url}/admin/queues`, { headers: { authorization: AUTH } })
        ).text();
        expect(page).toContain('"miscLinks":[{"text":"Console","url":"/admin"}]');
      } finally {
        await worker.close();
        await api.close();
        await queue.close();
      }
    },
  );

  redisTest(
    'its write API allows retry, promote and cleaning failed jobs only; resume cannot undo a quarantine',
    async ({ redisUrl, redis, prefix }) => {
      const queue = new Queue(QUEUES.sync, { connection: redis.duplicate(), prefix });
      const api = await startTestApi(securedEnv(redisUrl, prefix));
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${api.url}/admin/queues/api${path}`, {
          method,
          headers: {
            authorization: AUTH,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      try {
        const failed = await failOnePerson(redisUrl, prefix, queue);
        const other = await failOnePerson(redisUrl, prefix, queue, 'HR-P2');
        const delayed = await queue.add(
          JOBS.syncBatch,
          { externalIds: ['HR-D'], origin: 'webhook' },
          { delay: 3_600_000 },
        );
        // The quarantine pauses the queues until a probe succeeds.
        await queue.pause();
        const refused: Array<[string, string, unknown?]> = [
          [
            'POST',
            '/queues/sync/add',
            { name: JOBS.syncBatch, data: { externalIds: ['X'], origin: 'webhook' } },
          ],
          ['PUT', '/queues/sync/obliterate', {}],
          ['PUT', '/queues/sync/empty'],
          ['PUT', '/queues/sync/pause'],
          ['PUT', '/queues/sync/resume'],
          ['PUT', '/queues/pause'],
          ['PUT', '/queues/resume'],
          ['PATCH', `/queues/sync/${failed.id}/update-data`, { data: { externalId: 'HR-X' } }],
          ['PATCH', `/queues/sync/${delayed.id}/delay`, { delay: 0 }],
          ['PUT', `/queues/sync/${failed.id}/clean`],
          ['PUT', '/queues/sync/retry/completed'],
          ['PUT', '/queues/sync/clean/completed'],
          ['PUT', '/queues/sync/concurrency', { concurrency: 100 }],
          ['PUT', '/queues/sync/rate-limit/release'],
          ['PUT', '/QUEUES/sync/RESUME'],
          ['PUT', '/queues/sync/resume/'],
        ];
        for (const [method, path, body] of refused) {
          const res = await call(method, path, body);
          expect(res.status, `${method} ${path}`).toBe(403);
          expect(await res.json()).toMatchObject({
            error: { code: 'board_action_forbidden', message: expect.any(String) },
          });
        }
        expect(await queue.isPaused()).toBe(true);
        expect(await queue.getJobCounts('wait', 'delayed', 'failed')).toEqual({
          wait: 0,
          delayed: 1,
          failed: 2,
        });
        expect((await queue.getJob(String(failed.id)))?.data.externalId).toBe('HR-P1');

        // What operators need still works (and a retry does not lift the quarantine).
        expect((await call('PUT', `/queues/sync/${delayed.id}/promote`)).status).toBeLessThan(300);
        expect((await call('PUT', `/queues/sync/${failed.id}/retry`)).status).toBeLessThan(300);
        expect(await queue.getJobCounts('delayed', 'failed')).toEqual({ delayed: 0, failed: 1 });
        expect((await call('PUT', '/queues/sync/retry/failed')).status).toBeLessThan(300);
        expect(await queue.getJobState(String(other.id))).not.toBe('failed');
        expect(await queue.isPaused()).toBe(true);
        // Reaches Bull Board (which keeps jobs younger than its 5-second grace, so the count is not checked here).
        expect((await call('PUT', '/queues/reconcile/clean/failed')).status).toBe(200);
        expect((await call('PUT', '/queues/sync/promote')).status).toBeLessThan(300);
      } finally {
        await api.close();
        await queue.close();
      }
    },
  );
});
