import type { Discrepancy, Outcome, Report } from '@dirsync/reports';
import { ReportBuilder } from '@dirsync/reports';
import type { TimelineEntry } from '../console-view.js';
import type { DirectoryComparison } from './compare-directory.js';
import type { HrSnapshot } from './load-snapshot.js';
import type { ReconcileRequest } from './reconcile-runner.js';

/** The reconcile report: one outcome per person (what apply would do), each drift as a discrepancy. */
export function buildReconcileReport(
  request: ReconcileRequest,
  snapshot: HrSnapshot,
  c: DirectoryComparison,
  targetUsersRead: number,
): Report {
  const correlationId = request.runId;
  const builder = new ReportBuilder({
    id: `reconcile-${request.runId}`,
    kind: 'reconcile',
    origin: 'reconcile',
  });
  const person = (
    externalId: string,
    outcome: Outcome,
    discrepancies: Discrepancy[] = [],
    scimId?: string,
  ) => {
    builder.record(
      scimId ? { externalId, outcome, scimId, correlationId } : { externalId, outcome, correlationId },
      discrepancies,
    );
  };
  for (const externalId of c.inSync) person(externalId, 'unchanged');
  for (const externalId of c.outOfScope) person(externalId, 'skipped');
  for (const externalId of c.missing) {
    person(externalId, 'created', [
      { externalId, correlationId, type: 'missing_in_target', detail: 'in HR, not in the target' },
    ]);
  }
  for (const d of c.drifted) {
    person(
      d.externalId,
      d.inactive ? 'reactivated' : 'updated',
      d.mismatches.map((m) => ({
        externalId: d.externalId,
        scimId: d.scimId,
        correlationId,
        type: 'attribute_drift' as const,
        field: m.field,
        expected: m.expected,
        actual: m.actual,
        detail: d.byUserName
          ? 'matched by userName; the target user does not carry the HR externalId yet'
          : 'the target differs from HR',
      })),
      d.scimId,
    );
  }
  const deactivating = new Set(c.toDeactivate);
  for (const o of c.orphans) {
    const gone = o.outOfScope ? 'in HR but out of scope (the record no longer maps)' : 'gone from HR';
    const detail = o.protected
      ? `active in the target, ${gone}; listed in PROTECTED_USERS, never deactivated`
      : deactivating.has(o.externalId)
        ? `active in the target, ${gone}; deactivation planned`
        : `active in the target, ${gone}; not deactivated (deletion brake ${c.brake.detail})`;
    const type = o.outOfScope ? ('out_of_scope' as const) : ('orphan_in_target' as const);
    const { externalId, scimId } = o;
    const outcome = deactivating.has(externalId) ? 'deactivated' : 'skipped';
    person(externalId, outcome, [{ externalId, scimId, correlationId, type, detail }], scimId);
  }
  for (const u of c.unmatched) {
    builder.addDiscrepancy({
      externalId: '',
      scimId: u.scimId,
      correlationId,
      type: 'unmatched_target',
      detail: 'active in the target with no externalId: not from HR; left alone',
    });
  }
  return builder
    .with({
      dryRun: !request.apply,
      brake: c.brake,
      summary: summarize(snapshot, c, targetUsersRead),
    })
    .build();
}

function summarize(snapshot: HrSnapshot, c: DirectoryComparison, targetUsersRead: number) {
  return {
    hrRecords: snapshot.records.length,
    targetUsers: targetUsersRead,
    activeInTarget: c.activeInTarget,
    inSync: c.inSync.length,
    outOfScope: c.outOfScope.length,
    missing: c.missing.length,
    drifted: c.drifted.length,
    orphans: c.orphans.length,
    unmatched: c.unmatched.length,
    deactivations: c.toDeactivate.length,
  };
}

/**
 * Each finding of a reconcile run as an entry of its person's console timeline: the drift type and field, and
 * whether a fix was applied (a sync of that person was requested). Values stay in the report.
 */
export function reconcileEntries(
  report: Report,
  applied: ReadonlySet<string>,
  at = Date.now(),
): Array<{ externalId: string; entry: TimelineEntry }> {
  return report.discrepancies
    .filter((d) => d.externalId !== '')
    .map((d) => ({
      externalId: d.externalId,
      entry: {
        kind: 'reconcile',
        at,
        reportId: report.id,
        type: d.type,
        ...(d.field === undefined ? {} : { field: d.field }),
        applied: applied.has(d.externalId),
      },
    }));
}
