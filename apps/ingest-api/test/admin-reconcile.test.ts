import { QUEUES } from '@dirsync/contracts';
import { type DeletionBrake, ReportBuilder, ReportStore } from '@dirsync/reports';
import { redisTest } from '@dirsync/testing';
import { Queue } from 'bullmq';
import { describe, expect } from 'vitest';
import { ADMIN, securedEnv, startTestApi } from './harness.js';

const AUTH = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;

interface Answer {
  status: number;
  body: { jobId?: string; error?: { code: string; message: string; details?: unknown } };
}

function brake(wouldDeactivate: number, extra: Partial<DeletionBrake> = {}): DeletionBrake {
  return {
    held: true,
    wouldDeactivate,
    activeInTarget: 12,
    maxPercent: 10,
    overridden: false,
    detail: 'held',
    ...extra,
  };
}

describe('POST /admin/reconcile with the brake overridden', () => {
  redisTest(
    'needs expectedDeactivations, refuses (409) a number the latest report did not count, and queues it with the job',
    async ({ redisUrl, redis, prefix }) => {
      const api = await startTestApi(
        securedEnv(redisUrl, prefix, {
          HR_SNAPSHOT: '/tmp/does-not-matter.json',
        }),
      );
      const queue = new Queue(QUEUES.reconcile, { connection: redis.duplicate(), prefix });
      const reports = new ReportStore({ redis, prefix, retentionDays: 30 });
      const start = Date.now() - 60_000;
      let saved = 0;
      const saveReport = async (id: string, dryRun: boolean, deletionBrake: DeletionBrake) => {
        saved += 1;
        const at = new Date(start + saved * 1000);
        await reports.save(
          new ReportBuilder({ id, kind: 'reconcile', origin: 'reconcile', now: () => at })
            .with({ dryRun, brake: deletionBrake })
            .build(),
        );
      };
      const post = async (body: unknown): Promise<Answer> => {
        const res = await fetch(`${api.url}/admin/reconcile`, {
          method: 'POST',
          headers: { authorization: AUTH, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as Answer['body'] };
      };
      /** The run finished: its deduplication key goes, as when a worker completes it. */
      const finish = async (jobId: string | undefined) => {
        await (await queue.getJob(String(jobId)))?.remove();
      };
      const override = (n: unknown) => ({ apply: true, overrideBrake: true, expectedDeactivations: n });
      try {
        // The override must name its number; a bad one is a 400 naming the field.
        for (const body of [
          { apply: true, overrideBrake: true },
          override(-1),
          override(2.5),
          override('6'),
        ]) {
          const res = await post(body);
          expect(res.status, JSON.stringify(body)).toBe(400);
          expect(res.body.error?.code).toBe('invalid_request');
          expect(res.body.error?.message).toContain('"expectedDeactivations": n');
          expect(res.body.error?.details).toEqual([
            { field: 'expectedDeactivations', message: expect.any(String) },
          ]);
        }
        const unasked = await post({ apply: true, expectedDeactivations: 3 });
        expect(unasked.status).toBe(400);
        expect(unasked.body.error?.details).toEqual([
          { field: 'expectedDeactivations', message: 'only makes sense with overrideBrake: true' },
        ]);

        // Nothing to compare with yet.
        const none = await post(override(6));
        expect(none.status).toBe(409);
        expect(none.body.error?.code).toBe('dry_run_required');
        expect(none.body.error?.message).toContain('run a dry run first');

        // The dry run counted 6 deactivations (the brake would hold).
        await saveReport('reconcile-dry-1', true, brake(6));
        const stale = await post(override(5));
        expect(stale.status).toBe(409);
        expect(stale.body.error).toEqual({
          code: 'expected_deactivations_mismatch',
          message: expect.stringContaining(
            'expectedDeactivations is 5, but the last dry run (report reconcile-dry-1, a dry run at',
          ),
          details: { reportId: 'reconcile-dry-1', wouldDeactivate: 6, expectedDeactivations: 5 },
        });
        expect(stale.body.error?.message).toContain('would deactivate 6');
        expect(await queue.count()).toBe(0);

        const confirmed = await post(override(6));
        expect(confirmed.status).toBe(202);
        const job = await queue.getJob(String(confirmed.body.jobId));
        expect(job?.data).toEqual({
          apply: true,
          overrideBrake: true,
          expectedDeactivations: 6,
          trigger: 'api',
        });
        // While it runs, a second override waits for the report the run will write.
        const again = await post(override(6));
        expect(again.status).toBe(409);
        expect(again.body.error?.code).toBe('reconcile_running');
        await finish(confirmed.body.jobId);

        // That run applied its deactivations: its count is history, a new dry run must come first.
        await saveReport('reconcile-applied', false, brake(6, { held: false, overridden: true }));
        const afterApply = await post(override(6));
        expect(afterApply.status).toBe(409);
        expect(afterApply.body.error?.code).toBe('dry_run_required');
        expect(afterApply.body.error?.message).toContain('reconcile-applied');

        // An apply the brake held counted without deactivating: it serves like a dry run.
        await saveReport('reconcile-held', false, brake(4));
        expect((await post(override(6))).body.error?.details).toMatchObject({ wouldDeactivate: 4 });
        const held = await post(override(4));
        expect(held.status).toBe(202);
        await finish(held.body.jobId);

        // The old forms are unchanged.
        const plain = await post({ apply: true });
        expect(plain.status).toBe(202);
        expect((await queue.getJob(String(plain.body.jobId)))?.data).toEqual({
          apply: true,
          overrideBrake: false,
          trigger: 'api',
        });
        await finish(plain.body.jobId);
        expect((await post({})).status).toBe(202);
      } finally {
        await queue.close();
        await api.close();
      }
    },
  );
});
