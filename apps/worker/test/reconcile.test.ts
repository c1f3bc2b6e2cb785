import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { JOBS, QUEUES } from '@dirsync/contracts';
import type { Report } from '@dirsync/reports';
import { redisTest } from '@dirsync/testing';
import { Queue } from 'bullmq';
import { describe, expect } from 'vitest';
import { hr, type Stack, startStack, waitUntil } from './stack.js';

async function reconcile(
  stack: Stack,
  body: Record<string, unknown>,
): Promise<{ report: Report; progress: unknown }> {
  const connection = stack.redis.duplicate();
  const queue = new Queue(QUEUES.reconcile, { connection, prefix: stack.env.QUEUE_PREFIX });
  try {
    // What the API's reconcile trigger enqueues.
    const jobId = `reconcile-${randomUUID()}`;
    await queue.add(
      JOBS.reconcile,
      { apply: false, overrideBrake: false, ...body, trigger: 'api' },
      { jobId },
    );
    const job = await waitUntil(
      () => queue.getJob(jobId),
      (j) => j?.finishedOn !== undefined,
      { what: `reconcile ${jobId}` },
    );
    if (job?.failedReason) throw new Error(`reconcile failed: ${job.failedReason}`);
    return { report: await stack.report(job?.returnvalue.reportId), progress: job?.progress };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

const types = (report: Report) =>
  report.discrepancies
    .map((d) => `${d.type}:${d.externalId || d.scimId}${d.field ? `:${d.field}` : ''}`)
    .sort();

describe('reconcile', () => {
  redisTest(
    'dry run reports drift and writes nothing; apply converges; the brake holds until overridden',
    async ({ redisUrl, prefix }) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-'));
      const snapshotFile = path.join(dir, 'hr.json');
      const stack = await startStack({ redisUrl, prefix, env: { HR_SNAPSHOT: snapshotFile } });
      try {
        const people = Array.from({ length: 10 }, (_, i) => hr(`R-${i}`));
        await stack.send(people.map((data) => ({ event: 'user.created' as const, data })));
        await stack.drained();
        // Drift: a hand edit, a person HR has that Genesys lacks, someone gone from HR, an account HR never knew.
        const r1 = (await stack.sim.admin.getUserByExternalId('R-1'))?.user;
        await stack.sim.admin.editUser(r1?.id ?? '', [
          { op: 'replace', path: 'title', value: 'Edited by hand' },
        ]);
        await stack.sim.admin.seedUser({
          userName: 'gone@example.com',
          displayName: 'Gone From HR',
          externalId: 'GONE-1',
        });
        const service = await stack.sim.admin.seedUser({
          userName: 'svc@example.com',
          displayName: 'Service Account',
        });
        fs.writeFileSync(snapshotFile, JSON.stringify([...people, hr('R-NEW')]));

        const before = (await stack.sim.admin.requests()).at(-1)?.seq ?? 0;
        const dry = await reconcile(stack, {});
        expect(dry.report.dryRun).toBe(true);
        expect(types(dry.report)).toEqual([
          'attribute_drift:R-1:title',
          'missing_in_target:R-NEW',
          'orphan_in_target:GONE-1',
          `unmatched_target:${service.id}`,
        ]);
        expect(dry.report.discrepancies.find((d) => d.field === 'title')).toMatchObject({
          expected: 'Agent',
          actual: 'Edited by hand',
        });
        expect(dry.report.brake).toMatchObject({ held: false, wouldDeactivate: 1, activeInTarget: 12 });
        expect(dry.progress).toMatchObject({ phase: 'done', hrRecords: 11, targetUsersRead: 12 });
        const dryRequests = await stack.sim.admin.requests({ since: before });
        expect(dryRequests.length).toBeGreaterThan(0);
        expect(dryRequests.every((r) => r.method === 'GET')).toBe(true);

        const applied = await reconcile(stack, { apply: true });
        expect(applied.report.dryRun).toBe(false);
        await stack.drained();
        expect((await stack.sim.admin.getUserByExternalId('R-1'))?.user?.title).toBe('Agent');
        expect((await stack.sim.admin.getUserByExternalId('R-NEW'))?.user?.active).toBe(true);
        expect((await stack.sim.admin.getUserByExternalId('GONE-1'))?.user?.active).toBe(false);
        expect((await stack.sim.admin.getUser(service.id ?? ''))?.user?.active).toBe(true);

        const clean = await reconcile(stack, {});
        expect(types(clean.report)).toEqual([`unmatched_target:${service.id}`]);

        // A snapshot that would deactivate half the org: the brake holds and nobody is deactivated.
        fs.writeFileSync(snapshotFile, JSON.stringify(people.slice(0, 5)));
        const braked = await reconcile(stack, { apply: true });
        expect(braked.report.brake).toMatchObject({ held: true, wouldDeactivate: 6 });
        await stack.drained();
        const active = (await stack.sim.admin.listUsers()).filter((u) => u.active !== false);
        expect(active).toHaveLength(12);

        const confirmed = await reconcile(stack, { apply: true, overrideBrake: true });
        expect(confirmed.report.brake).toMatchObject({ held: false, overridden: true });
        await stack.drained();
        const remaining = (await stack.sim.admin.listUsers()).filter((u) => u.active !== false);
        expect(remaining.map((u) => u.externalId ?? 'service').sort()).toEqual([
          'R-0',
          'R-1',
          'R-2',
          'R-3',
          'R-4',
          'service',
        ]);
      } finally {
        await stack.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  redisTest(
    "an override confirms the dry run's count: a run that would deactivate another number keeps the brake",
    async ({ redisUrl, prefix }) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-'));
      const snapshotFile = path.join(dir, 'hr.json');
      const stack = await startStack({ redisUrl, prefix, env: { HR_SNAPSHOT: snapshotFile } });
      const activeIds = async () =>
        (await stack.sim.admin.listUsers())
          .filter((u) => u.active !== false)
          .map((u) => u.externalId)
          .sort();
      try {
        const people = Array.from({ length: 10 }, (_, i) => hr(`X-${i}`));
        await stack.send(people.map((data) => ({ event: 'user.created' as const, data })));
        await stack.drained();

        // The operator's dry run: half the org is gone from the snapshot, 5 deactivations.
        fs.writeFileSync(snapshotFile, JSON.stringify(people.slice(0, 5)));
        const dry = await reconcile(stack, {});
        expect(dry.report.brake).toMatchObject({ held: true, wouldDeactivate: 5 });

        // Before they confirm, the snapshot loses another person: the confirmed 5 is stale.
        fs.writeFileSync(snapshotFile, JSON.stringify(people.slice(0, 4)));
        const stale = await reconcile(stack, { apply: true, overrideBrake: true, expectedDeactivations: 5 });
        expect(stale.report.dryRun).toBe(false);
        expect(stale.report.brake).toMatchObject({
          held: true,
          overridden: false,
          wouldDeactivate: 6,
          expectedDeactivations: 5,
        });
        expect(stale.report.brake?.detail).toContain(
          'the override confirmed 5 deactivations, but this run would deactivate 6',
        );
        expect(stale.report.counts.deactivated).toBe(0);
        await stack.drained();
        expect(await activeIds()).toHaveLength(10);

        // Confirming what this run reported goes through.
        const confirmed = await reconcile(stack, {
          apply: true,
          overrideBrake: true,
          expectedDeactivations: 6,
        });
        expect(confirmed.report.brake).toMatchObject({
          held: false,
          overridden: true,
          expectedDeactivations: 6,
        });
        await stack.drained();
        expect(await activeIds()).toEqual(['X-0', 'X-1', 'X-2', 'X-3']);
      } finally {
        await stack.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  redisTest(
    'a malformed snapshot fails the run with the row named and changes nothing',
    async ({ redisUrl, prefix }) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-'));
      const snapshotFile = path.join(dir, 'hr.csv');
      fs.writeFileSync(snapshotFile, 'externalId,hireDate\nA,2024-01-01\nB,soon\n');
      const stack = await startStack({ redisUrl, prefix, env: { HR_SNAPSHOT: snapshotFile } });
      try {
        await expect(reconcile(stack, { apply: true })).rejects.toThrow(/record 2: hireDate/);
        expect((await stack.sim.admin.counters()).writes).toBe(0);
      } finally {
        await stack.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  redisTest(
    'in production a plain-http snapshot URL is refused before it is fetched; https is required',
    async ({ redisUrl, prefix }) => {
      let fetched = 0;
      const server = createServer((_req, res) => {
        fetched += 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hr.json`;
      const stack = await startStack({ redisUrl, prefix, env: { NODE_ENV: 'production', HR_SNAPSHOT: url } });
      try {
        await expect(reconcile(stack, {})).rejects.toThrow(
          /is not https; plain http is refused in production/,
        );
        expect(fetched).toBe(0);
      } finally {
        await stack.close();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );
});
