import type { EventType } from '@dirsync/contracts';
import type { Logger } from '@dirsync/core';
import type { Report, ReportStore } from '@dirsync/reports';
import type { ScimUser, UserPage } from '@dirsync/scim';
import type { DirectoryIndexBuilder } from '../directory-index-builder.js';
import type { OutOfScopeMode } from '../out-of-scope.js';
import type { IncomingEvent } from '../person-state.js';
import type { PersonStore } from '../person-store.js';
import type { PersonTimeline } from '../person-timeline.js';
import { cleanDesiredUser } from '../phone-cleaning.js';
import type { RefusalMemory } from '../refusal-store.js';
import type { PrehireReader } from '../scheduled-changes.js';
import type { SyncMapping, SyncPolicy, TargetCachePort } from '../sync-ports.js';
import { buildReconcileReport, reconcileEntries } from './build-reconcile-report.js';
import type { ManagedAssignments } from './compare-assignments.js';
import { compareDirectory, type DirectoryComparison } from './compare-directory.js';
import { loadEffectiveSnapshot } from './effective-rows.js';
import type { HrSnapshot, LoadSnapshotOptions } from './load-snapshot.js';
import { refusedDriftDiscrepancy, settleRefusedDrift } from './refused-drift.js';

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
  /** How a snapshot URL is fetched: https only (production), the download cap. */
  snapshotOptions?: LoadSnapshotOptions;
  reader: DirectoryReader;
  mapping: SyncMapping;
  policy: SyncPolicy & ManagedAssignments;
  people: PersonStore;
  cache: TargetCachePort;
  reports: ReportStore;
  protectedUsers: Iterable<string>;
  brake: { maxPercent: number; maxCount?: number | undefined };
  /** OUT_OF_SCOPE (default `deactivate`): whether a synced person whose record no longer maps is deactivated. */
  outOfScope?: OutOfScopeMode | undefined;
  /** Enqueues sync triggers for people whose state the run changed (lower priority than live events). */
  enqueue: (externalIds: string[], runId: string) => Promise<void>;
  /** Refreshes the directory index from the pages the run reads anyway. */
  indexBuilder?: Pick<DirectoryIndexBuilder, 'startBuild'>;
  logger?: Logger;
  /** Zone of snapshot `effectiveAt` dates (default UTC). */
  timeZone?: string | undefined;
  /** People created ahead of a future start: not yet in effect, so never compared (absent: nobody). */
  prehires?: PrehireReader | undefined;
  /** Values the target refused: such drift is reported `attribute_refused`, not re-fixed forever. */
  refusals?: RefusalMemory;
  /** `DEFAULT_PHONE_REGION`, to compare phones in the form the sync sends them. */
  phoneRegion?: string | undefined;
  /** Each finding goes on the person's console timeline (absent: nowhere). */
  timeline?: Pick<PersonTimeline, 'appendEach'> | undefined;
}

export interface ReconcileRequest {
  runId: string;
  apply: boolean;
  overrideBrake: boolean;
  /**
   * With `overrideBrake`: the deactivations the operator confirmed (what their dry run reported). A run that would
   * deactivate another number keeps the brake and says so in its report.
   */
  expectedDeactivations?: number | undefined;
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
    const snapshot = await loadEffectiveSnapshot(options.snapshotSource, options, options.snapshotOptions);
    await progress({ phase: 'reading-target', hrRecords: snapshot.records.length, targetUsersRead: 0 });

    const targetUsers: ScimUser[] = [];
    const ctx: { correlationId: string; signal?: AbortSignal } = { correlationId: request.runId };
    if (request.signal) ctx.signal = request.signal;
    const indexBuild = options.indexBuilder?.startBuild();
    for await (const page of options.reader.listAllUsers({ includeInactive: true, pageSize: 25 }, ctx)) {
      // A person whose HR row is not in effect yet is compared with nothing: no drift, never an orphan.
      targetUsers.push(
        ...page.users.filter((u) => !u.externalId || !snapshot.notYetEffective.has(u.externalId)),
      );
      await indexBuild?.recordPage(page.users);
      await progress({
        phase: 'reading-target',
        hrRecords: snapshot.records.length,
        targetUsersRead: targetUsers.length,
        targetUsersTotal: page.totalResults,
      });
    }

    await indexBuild?.complete();
    await progress({
      phase: 'comparing',
      hrRecords: snapshot.records.length,
      targetUsersRead: targetUsers.length,
    });
    const desired = new Map<string, ScimUser | null>();
    const unusable = new Map<string, Set<string>>();
    for (const record of snapshot.records) {
      // A record the mapping cannot handle is out of scope here; the sync of that person reports the error.
      const mapped = await options.mapping.evaluate(record).catch(() => null);
      // Phones compared in the form the sync sends them; an unusable one is left alone there, so here too.
      const cleaned = mapped ? cleanDesiredUser(mapped, options.phoneRegion) : undefined;
      desired.set(record.externalId, cleaned?.user ?? null);
      if (cleaned?.unusable.length)
        unusable.set(record.externalId, new Set(cleaned.unusable.map((u) => u.field)));
    }
    const comparison = compareDirectory({
      records: snapshot.records,
      desired,
      targetUsers,
      owned: options.mapping.owned,
      managedRoles: options.policy.managedRoles,
      assignments: options.policy,
      protectedUsers: new Set([...options.protectedUsers].map((u) => u.toLowerCase())),
      brake: { ...options.brake, override: request.overrideBrake, expected: request.expectedDeactivations },
      deactivateOutOfScope: (options.outOfScope ?? 'deactivate') === 'deactivate',
    });
    const refused = await settleRefusedDrift(comparison, options.refusals, unusable);

    let enqueued: string[] = [];
    if (request.apply) {
      await progress({
        phase: 'applying',
        hrRecords: snapshot.records.length,
        targetUsersRead: targetUsers.length,
      });
      enqueued = await this.applyFixes(snapshot, comparison, request.runId);
    }
    const report = buildReconcileReport(request, snapshot, comparison, targetUsers.length);
    report.discrepancies.push(...refused.map((r) => refusedDriftDiscrepancy(r, request.runId)));
    await options.reports.save(report);
    await options.timeline?.appendEach(reconcileEntries(report, new Set(enqueued)));
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
    // Out of scope: the record itself goes in, and the sync deactivates the user it knows (HR state stays active).
    const outOfScope = new Map(
      comparison.orphans.filter((o) => o.outOfScope).map((o) => [o.externalId, o.scimId]),
    );
    for (const externalId of comparison.toDeactivate)
      add(externalId, outOfScope.has(externalId) ? 'user.updated' : 'user.deactivated');

    // The cached target state is what drifted: forget it so each sync reads the user afresh.
    const reset = (id: string, scimId = outOfScope.get(id)) =>
      scimId ? cache.set(id, { scimId, syncedAt: Date.now() }) : cache.drop(id);
    await Promise.all(events.map((e) => reset(e.data.externalId)));
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
}
