import { randomUUID } from 'node:crypto';
import { type Discrepancy, type Report, ReportBuilder, type ReportStore } from '@dirsync/reports';
import { ENTERPRISE_USER_SCHEMA } from '@dirsync/scim';
import type { ManagerWaitClock } from './manager-wait.js';
import type { PersonReader, SyncMapping, TargetCachePort } from './sync-ports.js';

export interface MissingManagerDeps {
  managerWaits: ManagerWaitClock;
  people: PersonReader;
  mapping: SyncMapping;
  cache: TargetCachePort;
  reports: ReportStore;
  /** MANAGER_WAIT_HOURS in ms. */
  waitMs: number;
  now: () => number;
}

/** At most this many waits are looked at per check; the next check takes the rest. */
const CHECK_LIMIT = 500;

/**
 * Reports, once each, the people whose manager has not appeared in the target after the wait: one report of
 * `manager_missing` discrepancies (undefined when there is none). Waits that no longer hold (the person left, HR
 * names another manager or none) are dropped; a manager who has appeared meanwhile is left to the person's sync.
 */
export async function reportMissingManagers(deps: MissingManagerDeps): Promise<Report | undefined> {
  const nowMs = deps.now();
  const due = await deps.managerWaits.overdue(nowMs - deps.waitMs, CHECK_LIMIT);
  const discrepancies: Discrepancy[] = [];
  for (const wait of due) {
    const state = await deps.people.get(wait.externalId);
    const mapped = state?.active ? await deps.mapping.evaluate(state.data).catch(() => null) : null;
    const wanted = mapped?.[ENTERPRISE_USER_SCHEMA]?.manager?.externalId;
    if (!state || wanted !== wait.managerExternalId) {
      await deps.managerWaits.stop(wait.externalId);
      continue;
    }
    if (await deps.cache.get(wait.managerExternalId)) continue;
    if (!(await deps.managerWaits.markReported(wait.externalId))) continue;
    const hours = Math.floor((nowMs - wait.sinceMs) / 3_600_000);
    discrepancies.push({
      externalId: wait.externalId,
      correlationId: state.correlationId,
      type: 'manager_missing',
      field: `${ENTERPRISE_USER_SCHEMA}:manager`,
      expected: wait.managerExternalId,
      detail: `manager "${wait.managerExternalId}" has not appeared in the target after ${hours} h (MANAGER_WAIT_HOURS); the manager stays unset until they are synced`,
    });
  }
  if (discrepancies.length === 0) return undefined;
  const builder = new ReportBuilder({ id: `rep-${randomUUID()}`, kind: 'sync', origin: 'sweep' });
  for (const d of discrepancies) builder.addDiscrepancy(d);
  const report = builder.build();
  await deps.reports.save(report);
  return report;
}
