import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JOBS } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { type HrEventInput, hr, type Stack, startStack, waitUntil } from './stack.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

/** A real worker process (from source, through tsx), configured only by its environment. */
async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@dirsync/source', 'apps/worker/src/main.ts'],
    { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout?.on('data', (c) => output.push(String(c)));
  child.stderr?.on('data', (c) => output.push(String(c)));
  await waitUntil(
    async () => output.join(''),
    (text) => text.includes('worker started') || child.exitCode !== null,
    { what: 'the worker process to start', timeoutMs: 30_000 },
  );
  if (child.exitCode !== null) throw new Error(`worker exited at start: ${output.join('')}`);
  return { child, output, exited };
}

async function stopWorker(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  return worker.exited;
}

async function userCount(stack: Stack): Promise<number> {
  return (await stack.sim.admin.listUsers()).length;
}

describe('worker processes', () => {
  redisTest(
    'two processes hammering the same people: one sync per person at a time, newest event wins',
    { timeout: 120_000 },
    async ({ redisUrl, prefix }) => {
      // No in-process worker: the two separate processes do all the work.
      const stack = await startStack({ redisUrl, prefix, workers: 0, sim: { latencyMs: 5 } });
      const workers: WorkerProcess[] = [];
      try {
        workers.push(await spawnWorker(stack.env), await spawnWorker(stack.env));
        const people = Array.from({ length: 30 }, (_, i) => `P-${i}`);
        // Six updates per person at distinct times, delivered shuffled, some twice, in concurrent batches.
        const events: HrEventInput[] = people.flatMap((id, p) =>
          Array.from({ length: 6 }, (_, k) => ({
            id: `${id}-v${k}`,
            event: 'user.updated' as const,
            occurredAt: new Date(Date.UTC(2026, 10, 28, 9, 0, p * 10 + k)).toISOString(),
            data: hr(id, { title: `v${k}` }),
          })),
        );
        const shuffled =
          fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), { numRuns: 1, seed: 42 })[0] ??
          events;
        const deliveries = [...shuffled, ...shuffled.slice(0, 40)];
        const batches: HrEventInput[][] = [];
        for (let i = 0; i < deliveries.length; i += 7) batches.push(deliveries.slice(i, i + 7));
        await Promise.all(batches.map((b) => stack.send(b)));

        await stack.drained(60_000);
        for (const id of people) {
          const state = await stack.sim.admin.getUserByExternalId(id);
          expect(state?.user?.title, id).toBe('v5');
        }
        const counters = await stack.sim.admin.counters();
        // Our own writes never raced each other: a second concurrent sync of a person would make one of the
        // two PATCHes carry a stale If-Match.
        expect(counters.conflicts).toBe(0);
        expect(await userCount(stack)).toBe(30);
        const done = (await stack.queue.getJobs(['completed'])).filter((j) => j.name === JOBS.syncBatch);
        expect(new Set(done.map((j) => j.processedBy)).size).toBe(2);
      } finally {
        await Promise.all(workers.map((w) => stopWorker(w)));
        await stack.close();
      }
    },
  );

  redisTest(
    'a worker killed mid-batch: its job is recovered, every event converges, no duplicate creates',
    { timeout: 120_000 },
    async ({ redisUrl, prefix }) => {
      const stack = await startStack({
        redisUrl,
        prefix,
        workers: 0,
        sim: { latencyMs: 120 },
        env: { JOB_LOCK_SECONDS: '3', SYNC_CONCURRENCY: '2', SWEEP_INTERVAL_SECONDS: '2' },
      });
      let first: WorkerProcess | undefined;
      let second: WorkerProcess | undefined;
      try {
        first = await spawnWorker(stack.env);
        const people = Array.from({ length: 30 }, (_, i) => `K-${i}`);
        await stack.send(people.map((id) => ({ event: 'user.created' as const, data: hr(id) })));
        await waitUntil(
          () => userCount(stack),
          (n) => n >= 4,
          { what: 'some creates before the kill' },
        );
        expect(await stopWorker(first, 'SIGKILL')).toBe(null);
        const createdBeforeKill = await userCount(stack);
        expect(createdBeforeKill).toBeLessThan(30);

        second = await spawnWorker(stack.env);
        await waitUntil(
          () => userCount(stack),
          (n) => n === 30,
          { what: 'all 30 people', timeoutMs: 60_000 },
        );
        await stack.drained(60_000);
        const users = await stack.sim.admin.listUsers();
        expect(new Set(users.map((u) => u.externalId)).size).toBe(30);
        for (const id of people) {
          const history = (await stack.sim.admin.getUserByExternalId(id))?.history ?? [];
          expect(
            history.filter((h) => h.method === 'POST'),
            id,
          ).toHaveLength(1);
        }
        expect(await stopWorker(second)).toBe(0);
      } finally {
        if (first) await stopWorker(first, 'SIGKILL');
        if (second) await stopWorker(second);
        await stack.close();
      }
    },
  );
});
