import type { EventType } from '@dirsync/contracts';
import type { Logger } from '@dirsync/core';
import {
  type Discrepancy,
  type Outcome,
  type Report,
  ReportBuilder,
  type ReportStore,
} from '@dirsync/reports';
import type { ScimUser, UserPage } from '@dirsync/scim';
import type { IncomingEvent } from '../person-state.js';
import type { PersonStore } from '../person-store.js';
import type { SyncMapping, SyncPolicy, TargetCachePort } from '../sync-ports.js';

import type { ManagedAssignments } from './compare-assignments.js';
import { compareDirectory, type DirectoryComparison } from './compare-directory.js';
import { type HrSnapshot, loadSnapshot } from './load-snapshot.js';

/** What reconcile needs from the SCIM client: every user, inactive included, page by page. */
export interface DirectoryReader {
  listAllUsers(
    options: { includeInactive: boolean; pageSize?: number },
    ctx?: { correlationId?: string; signal?: AbortSignal },
  ): AsyncIterable<UserPage>;
}

export interface ReconcileProgress {
  phase: 'snapshot' | 'reading-target' | 'comparing' | 'applying' | 'done';
  hrRecords?: number;
  targetUsersRead?: number;
  targetUsersTotal?: number;
}

export interface ReconcileRunnerOptions {
  snapshotSource: string;
  reader: DirectoryReader;
  mapping: SyncMapping;
  policy: SyncPolicy & ManagedAssignments;
  people: PersonStore;
  cache: TargetCachePort;
  reports: ReportStore;
  protectedUsers: Iterable<string>;
  brake: { maxPercent: number; maxCount?: number | undefined };
  /** Enqueues sync triggers for people whose state the run changed (lower priority than live events). */
  enqueue: (externalIds: string[], runId: string) => Promise<void>;
  logger?: Logger;
}

export interface ReconcileRequest {
  runId: string;
  apply: boolean;
  overrideBrake: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: ReconcileProgress) => Promise<void> | void;
}

export interface ReconcileResult {
  report: Report;
  comparison: DirectoryComparison;
  /** People whose sync was requested (apply only). */
  enqueued: string[];
}

/**
 * A full comparison of the HR snapshot with the target: drift is reported; with `apply`, fixes become ordinary
 * sync events (same ordering, budget and reports), never writes made out of band. The deletion brake stops a run
 * that would deactivate too many people.
 */
export class ReconcileRunner {
  private readonly options: ReconcileRunnerOptions;

  constructor(options: ReconcileRunnerOptions) {
    this.options = options;
  }

  async run(request: ReconcileRequest): Promise<ReconcileResult> {
    const { options } = this;
    const progress = async (p: ReconcileProgress) => {
      await request.onProgress?.(p);
    };
    await progress({ phase: 'snapshot' });
    const snapshot = await loadSnapshot(options.snapshotSource);
    await progress({ phase: 'reading-target', hrRecords: snapshot.records.length, targetUsersRead: 0 });

    const targetUsers: ScimUser[] = [];
    const ctx: { correlationId: string; signal?: AbortSignal } = { correlationId: request.runId };
    if (request.signal) ctx.signal = request.signal;
    for await (const page of options.reader.listAllUsers({ includeInactive: true, pageSize: 25 }, ctx)) {
      targetUsers.push(...page.users);
      await progress({
        phase: 'reading-target',
        hrRecords: snapshot.records.length,
        targetUsersRead: targetUsers.length,
        targetUsersTotal: page.totalResults,
      });
    }

    await progress({
      phase: 'comparing',
      hrRecords: snapshot.records.length,
      targetUsersRead: targetUsers.length,
    });
    const desired = new Map<string, ScimUser | null>();
    for (const record of snapshot.records) {
      // A record the mapping cannot handle is out of scope here; the sync of that person reports the error.
      desired.set(record.externalId, await options.mapping.evaluate(record).catch(() => null));
    }
    const comparison = compareDirectory({
      records: snapshot.records,
      desired,
      targetUsers,
      owned: options.mapping.owned,
      managedRoles: options.policy.managedRoles,
      assignments: options.policy,
      protectedUsers: new Set([...options.protectedUsers].map((u) => u.toLowerCase())),
      brake: { ...options.brake, override: request.overrideBrake },
    });

    let enqueued: string[] = [];
    if (request.apply) {
      await progress({
        phase: 'applying',
        hrRecords: snapshot.records.length,
        targetUsersRead: targetUsers.length,
      });
      enqueued = await this.applyFixes(snapshot, comparison, request.runId);
    }
    const report = this.buildReport(request, snapshot, comparison, targetUsers.length);
    await options.reports.save(report);
    await progress({
      phase: 'done',
      hrRecords: snapshot.records.length,
      targetUsersRead: targetUsers.length,
    });
    options.logger?.info('reconcile finished', {
      runId: request.runId,
      apply: request.apply,
      reportId: report.id,
      ...report.summary,
      brakeHeld: comparison.brake.held,
    });
    return { report, comparison, enqueued };
  }

  /**
   * Turns drift into sync events dated when the snapshot was taken, so any newer webhook still wins. A person whose
   * stored state is already newer than the snapshot is re-synced from that state (the target drifted by hand).
   */
  private async applyFixes(
    snapshot: HrSnapshot,
    comparison: DirectoryComparison,
    runId: string,
  ): Promise<string[]> {
    const { people, cache } = this.options;
    const records = new Map(snapshot.records.map((r) => [r.externalId, r]));
    const takenAt = snapshot.takenAt.getTime();
    const events: IncomingEvent[] = [];
    const add = (externalId: string, type: EventType) => {
      const data = type === 'user.deactivated' ? { externalId } : records.get(externalId);
      if (data)
        events.push({
          idempotencyKey: `reconcile:${runId}:${externalId}`,
          type,
          occurredAtMs: takenAt,
          data,
        });
    };
    for (const externalId of comparison.missing) add(externalId, 'user.created');
    for (const drift of comparison.drifted)
      add(drift.externalId, drift.inactive ? 'user.reactivated' : 'user.updated');
    for (const externalId of comparison.toDeactivate) add(externalId, 'user.deactivated');

    // The cached target state is what drifted: forget it so each sync reads the user afresh.
    await Promise.all(events.map((e) => cache.drop(e.data.externalId)));
    const statuses = events.length > 0 ? await people.ingest(events) : [];
    const toSync: string[] = [];
    for (const [i, status] of statuses.entries()) {
      const event = events[i];
      if (status.status === 'applied') toSync.push(status.externalId);
      // Deactivations stay stale-safe: a newer live event (say a rehire) means HR has moved on.
      else if (status.status === 'stale' && event?.type !== 'user.deactivated') {
        if (await people.requestResync(status.externalId)) toSync.push(status.externalId);
      }
    }
    if (toSync.length > 0) await this.options.enqueue(toSync, runId);
    return toSync;
  }

  private buildReport(
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
      const detail = o.protected
        ? 'active in the target, gone from HR; listed in PROTECTED_USERS, never deactivated'
        : deactivating.has(o.externalId)
          ? 'active in the target, gone from HR; deactivation planned'
          : `active in the target, gone from HR; not deactivated (deletion brake ${c.brake.detail})`;
      person(
        o.externalId,
        deactivating.has(o.externalId) ? 'deactivated' : 'skipped',
        [{ externalId: o.externalId, scimId: o.scimId, correlationId, type: 'orphan_in_target', detail }],
        o.scimId,
      );
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
