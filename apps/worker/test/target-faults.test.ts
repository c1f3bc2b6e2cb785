import { JOBS } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { hr, type Stack, startStack, waitUntil } from './stack.js';

async function allConverged(
  stack: Stack,
  ids: string[],
  check: (u: { title?: unknown; active?: unknown }) => boolean,
) {
  const users = await Promise.all(ids.map((id) => stack.sim.admin.getUserByExternalId(id)));
  return users.every((s) => s?.user && check(s.user));
}

async function batchJobs(stack: Stack) {
  return (await stack.queue.getJobs(['completed', 'failed'])).filter((j) => j.name === JOBS.syncBatch);
}

const people = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);

describe('worker: target faults', () => {
  redisTest(
    'a 429 storm pauses everyone for Retry-After and costs no attempt',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        await stack.sim.admin.setFaults({ throttleBurst: { count: 6, retryAfterSeconds: 1 } });
        const ids = people(10, 'T');
        await stack.send(ids.map((id) => ({ event: 'user.created' as const, data: hr(id) })));
        await stack.drained();
        expect(await allConverged(stack, ids, () => true)).toBe(true);
        const counters = await stack.sim.admin.counters();
        expect(counters.throttled429).toBe(6);
        const jobs = await batchJobs(stack);
        expect(jobs.every((j) => j.attemptsMade <= 1 && j.failedReason === undefined)).toBe(true);
        // The pause was honoured: after the first 429 nothing reached the target for a second.
        const log = await stack.sim.admin.requests();
        const first429 = log.find((r) => r.status === 429);
        const next = log.find((r) => r.seq > (first429?.seq ?? 0) && r.status !== 429);
        expect(Date.parse(next?.at ?? '') - Date.parse(first429?.at ?? '')).toBeGreaterThanOrEqual(900);
      } finally {
        await stack.close();
      }
    },
  );

  redisTest(
    '5xx and connection resets are retried with backoff until everything converges',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        await stack.sim.admin.setFaults({ seed: 3, serverErrorRate: 0.2, connectionResetRate: 0.1 });
        const ids = people(12, 'F');
        await stack.send(ids.map((id) => ({ event: 'user.created' as const, data: hr(id) })));
        await stack.drained(60_000);
        expect(await allConverged(stack, ids, () => true)).toBe(true);
        const counters = await stack.sim.admin.counters();
        expect(counters.serverErrors + counters.resets).toBeGreaterThan(0);
        // No duplicate creates despite answers lost to resets.
        expect(await stack.sim.admin.listUsers()).toHaveLength(12);
        expect((await stack.queue.getJobs(['failed'])).filter((j) => j.name !== JOBS.sweep)).toEqual([]);
      } finally {
        await stack.close();
      }
    },
  );

  redisTest(
    '401s that survive a token refresh quarantine the sync; a probe lifts it and work resumes',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix });
      try {
        await stack.sim.admin.setFaults({
          failNext: [{ pathPattern: '/Users', status: 401, detail: 'token revoked', count: 1000 }],
        });
        await stack.send({ event: 'user.created', data: hr('Q-1') });
        await waitUntil(
          () => stack.queue.isPaused(),
          (paused) => paused,
          { what: 'the queue to pause' },
        );
        expect((await stack.engine.health.current())?.reason).toBe('auth');
        expect(stack.logLines.some((l) => l.includes('SYNC QUARANTINED'))).toBe(true);
        // Attempts are not burned while quarantined.
        const parked = await waitUntil(
          async () => (await stack.queue.getJobs(['waiting'])).find((j) => j.name === JOBS.syncBatch),
          (job) => job !== undefined,
          { what: 'the batch parked in the paused queue' },
        );
        expect(parked?.attemptsMade).toBe(0);

        await stack.sim.admin.setFaults({ failNext: [] });
        await waitUntil(
          () => stack.queue.isPaused(),
          (paused) => !paused,
          { what: 'the quarantine to lift', timeoutMs: 15_000 },
        );
        await stack.drained();
        expect((await stack.sim.admin.getUserByExternalId('Q-1'))?.user?.active).toBe(true);
      } finally {
        await stack.close();
      }
    },
  );

  redisTest(
    'a target failing for everyone longer than the window quarantines the sync instead of burning attempts',
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({ redisUrl, prefix, env: { TARGET_FAILURE_WINDOW_SECONDS: '5' } });
      try {
        await stack.sim.admin.setFaults({ serverErrorRate: 1 });
        await stack.send({ event: 'user.created', data: hr('Q5-1') });
        await waitUntil(
          () => stack.queue.isPaused(),
          (paused) => paused,
          {
            what: 'the quarantine after 5 s of 5xx',
            timeoutMs: 40_000,
          },
        );
        const parked = await waitUntil(
          async () => (await stack.queue.getJobs(['waiting'])).find((j) => j.name === JOBS.syncBatch),
          (job) => job !== undefined,
          { what: 'the batch parked in the paused queue' },
        );
        // Attempts spent before the quarantine began are kept; none are burned while it lasts.
        const spent = parked?.attemptsMade ?? -1;
        expect(spent).toBeLessThan(8);
        expect((await stack.engine.health.current())?.reason).toBe('server');

        await stack.sim.admin.setFaults({ serverErrorRate: 0 });
        await waitUntil(
          () => stack.queue.isPaused(),
          (paused) => !paused,
          { what: 'the quarantine to lift', timeoutMs: 15_000 },
        );
        await stack.drained();
        expect((await stack.sim.admin.getUserByExternalId('Q5-1'))?.user).toBeDefined();
        expect((await stack.queue.getJobs(['failed'])).filter((j) => j.name === JOBS.syncBatch)).toEqual([]);
      } finally {
        await stack.close();
      }
    },
    90_000,
  );
});
