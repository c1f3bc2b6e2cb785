import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redisTest } from '@dirsync/testing';
import { describe, expect, onTestFinished } from 'vitest';
import { ReportBuilder } from '../src/report-builder.js';
import { ReportStore } from '../src/report-store.js';

function report(id: string, at: string, kind: 'sync' | 'reconcile' = 'sync') {
  return new ReportBuilder({ id, kind, now: () => new Date(at) })
    .record({ externalId: `p-${id}`, outcome: 'created' })
    .build();
}

describe('ReportStore', () => {
  redisTest('stores, fetches and lists reports latest first, paging by time', async ({ redis, prefix }) => {
    const store = new ReportStore({ redis, prefix, retentionDays: 30 });
    const now = Date.now();
    for (let i = 0; i < 5; i++)
      await store.save(report(`r${i}`, new Date(now - (5 - i) * 1000).toISOString()));
    await store.save(report('x', new Date(now).toISOString(), 'reconcile'));

    expect((await store.get('r2'))?.people[0]?.externalId).toBe('p-r2');
    expect(await store.get('missing')).toBeUndefined();

    const latest = await store.list({ limit: 3 });
    expect(latest.map((r) => r.id)).toEqual(['x', 'r4', 'r3']);
    const next = await store.list({ limit: 3, before: Date.parse(latest[2]?.generatedAt ?? '') });
    expect(next.map((r) => r.id)).toEqual(['r2', 'r1', 'r0']);
    expect((await store.list({ kind: 'reconcile' })).map((r) => r.id)).toEqual(['x']);
    // The latest of a kind comes from a pointer kept on save, not from a scan of the index.
    expect((await store.latest('reconcile'))?.id).toBe('x');
    expect((await store.latest('sync'))?.id).toBe('r4');
    await redis.del(`${prefix}:reports:latest:reconcile`);
    expect(await store.latest('reconcile')).toBeUndefined();
  });

  redisTest(
    'filters by time range, discrepancies, discrepancy type and person, within a scan limit',
    async ({ redis, prefix }) => {
      const store = new ReportStore({ redis, prefix, retentionDays: 30 });
      const at = (s: number) => new Date(Date.parse('2026-11-28T10:00:00Z') + s * 1000);
      const failure = (externalId: string) => ({
        externalId,
        correlationId: 'c',
        type: 'policy_violation' as const,
        detail: 'role not allowed',
      });
      await store.save(report('clean', at(0).toISOString()));
      await store.save(
        new ReportBuilder({ id: 'denied', kind: 'sync', now: () => at(10) })
          .record({ externalId: 'HR-7', outcome: 'failed' }, [failure('HR-7')])
          .build(),
      );
      await store.save(
        new ReportBuilder({ id: 'drift', kind: 'reconcile', now: () => at(20) })
          .addDiscrepancy({
            externalId: 'HR-9',
            correlationId: 'r',
            type: 'orphan_in_target',
            detail: 'gone',
          })
          .markCoalesced('HR-7')
          .build(),
      );
      const ids = async (filter: Parameters<ReportStore['list']>[0]) =>
        (await store.list(filter)).map((r) => r.id);
      expect(await ids({ since: at(10).getTime() })).toEqual(['drift', 'denied']);
      expect(await ids({ since: at(10).getTime(), before: at(20).getTime() })).toEqual(['denied']);
      expect(await ids({ hasDiscrepancies: true })).toEqual(['drift', 'denied']);
      expect(await ids({ hasDiscrepancies: false })).toEqual(['clean']);
      expect(await ids({ discrepancyType: 'policy_violation' })).toEqual(['denied']);
      expect(await ids({ externalId: 'HR-7' })).toEqual(['drift', 'denied']);
      expect(await ids({ externalId: 'HR-9', kind: 'sync' })).toEqual([]);
      expect(await ids({ externalId: 'p-clean' })).toEqual(['clean']);
      // Only the newest two are read: the oldest match is not found.
      expect(await ids({ hasDiscrepancies: false, scanLimit: 2 })).toEqual([]);
      expect(await ids({ limit: 1, scanLimit: 2 })).toEqual(['drift']);
    },
  );

  redisTest(
    'expires reports after the retention and drops them from the index',
    async ({ redis, prefix }) => {
      const store = new ReportStore({ redis, prefix, retentionDays: 30 });
      await store.save(report('old', new Date(Date.now() - 31 * 86_400_000).toISOString()));
      await store.save(report('new', new Date().toISOString()));
      expect((await store.list()).map((r) => r.id)).toEqual(['new']);
      const ttl = await redis.pttl(`${prefix}:report:new`);
      expect(ttl).toBeGreaterThan(29 * 86_400_000);
    },
  );

  redisTest('appends one JSON line per report to the audit log', async ({ redis, prefix }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    const auditLogPath = path.join(dir, 'audit.jsonl');
    const store = new ReportStore({ redis, prefix, retentionDays: 1, auditLogPath });
    await store.save(report('a', new Date().toISOString()));
    await store.save(report('b', new Date().toISOString()));
    const lines = fs.readFileSync(auditLogPath, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(['a', 'b']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  redisTest('creates the audit log with mode 0600', async ({ redis, prefix }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const auditLogPath = path.join(dir, 'audit.jsonl');
    // A permissive umask must not widen it.
    const previousUmask = process.umask(0);
    try {
      await new ReportStore({ redis, prefix, retentionDays: 1, auditLogPath }).save(
        report('a', new Date().toISOString()),
      );
    } finally {
      process.umask(previousUmask);
    }
    expect(fs.statSync(auditLogPath).mode & 0o777).toBe(0o600);
  });

  redisTest('narrows an existing audit log with wider permissions to 0600', async ({ redis, prefix }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const auditLogPath = path.join(dir, 'audit.jsonl');
    fs.writeFileSync(auditLogPath, '{"id":"earlier"}\n');
    fs.chmodSync(auditLogPath, 0o644);
    await new ReportStore({ redis, prefix, retentionDays: 1, auditLogPath }).save(
      report('b', new Date().toISOString()),
    );
    expect(fs.statSync(auditLogPath).mode & 0o777).toBe(0o600);
    const ids = fs
      .readFileSync(auditLogPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).id);
    expect(ids).toEqual(['earlier', 'b']);
  });
});
