import type { Delivery } from './api-client.js';
import type { Preview } from './api-types.js';
import type { RunOutcomes } from './run-outcomes.js';
import type { HrRecord, Workload } from './workload.js';

/** One expectation of an HR administrator: what, whether it held, and why not. */
export type Check = [text: string, ok: boolean, why: string];

export interface DemoFacts {
  w: Workload;
  outcomes: RunOutcomes;
  name: (externalId: string) => string;
  answers: { promotionAgain: Delivery };
  previews: { newer?: Preview; older?: Preview; filledIn?: Preview; rehire?: Preview };
  /** How much the API's stale-event counter rose (undefined: its metrics were unreadable). */
  staleDelta: number | undefined;
  /** The people whose manager arrives after them. */
  reportsWithLead: HrRecord[];
  /** A report whose record did not change after the hires, previewed after the run. */
  sampleReport: HrRecord | undefined;
}

/** The writes a preview would make (its reads are real). */
export function writesOf(preview: Preview | undefined): Array<{ method: string }> {
  return (preview?.requests ?? []).filter((r) => r.method !== 'GET');
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/** What an HR administrator expects of this workload. */
export function buildChecks(facts: DemoFacts): Check[] {
  const { w, outcomes: o, name, previews } = facts;
  const expectedCreated = new Set(
    [...w.people.values()]
      .map((p) => p.externalId)
      .filter((id) => id !== w.overreach.externalId && id !== w.contractor.externalId),
  );
  const createdIds = o.people('created');
  const failedIds = o.people('failed');
  const policyFailures = o.discrepancies.filter((d) => d.type === 'policy_violation');
  const otherDiscrepancies = o.discrepancies.filter((d) => d.type !== 'policy_violation');
  const changedIds = new Set(w.changed.filter((id) => !w.leavers.some((p) => p.externalId === id)));
  const fillIns = o.people('updated', 2);
  const changes = o.people('updated', 3);
  const again = facts.answers.promotionAgain.json;
  const promotionResults = o.withEvent(w.promotion.id);
  const olderResults = o.withEvent(w.older.id);
  const checks: Check[] = [
    [
      `every hire created exactly once (${expectedCreated.size})`,
      sameSet(createdIds, expectedCreated) && o.of('created').length === expectedCreated.size,
      `created: ${o.of('created').length} results for ${createdIds.size} people`,
    ],
    [
      `exactly one failure: ${name(w.overreach.externalId)}'s policy violation (role admin in Sales)`,
      sameSet(failedIds, new Set([w.overreach.externalId])) &&
        policyFailures.length >= 1 &&
        policyFailures.every(
          (d) => d.externalId === w.overreach.externalId && /admin/.test(d.detail) && /Sales/.test(d.detail),
        ),
      `failed people: ${o.names(failedIds) || 'none'}; policy violations: ${policyFailures.length}`,
    ],
    [
      'no other discrepancy (sync failure, conflict, attribute mismatch)',
      otherDiscrepancies.length === 0,
      otherDiscrepancies.map((d) => `${d.type} ${d.externalId}: ${d.detail}`).join('; '),
    ],
    [
      `every report got their manager once the team leads were synced (${facts.reportsWithLead.length})`,
      facts.reportsWithLead.every((p) => fillIns.has(p.externalId)),
      `updated after the leads arrived: ${fillIns.size}`,
    ],
    [
      `every HR change applied (${changedIds.size})`,
      [...changedIds].every((id) => changes.has(id)),
      `missing: ${o.names([...changedIds].filter((id) => !changes.has(id)))}`,
    ],
    [
      `the contractor without a work e-mail skipped`,
      sameSet(o.people('skipped'), new Set([w.contractor.externalId])),
      `skipped: ${o.names(o.people('skipped')) || 'none'}`,
    ],
    [
      `the ${w.leavers.length} leavers deactivated, the rehire reactivated`,
      sameSet(o.people('deactivated'), new Set(w.leavers.map((p) => p.externalId))) &&
        sameSet(o.people('reactivated'), new Set([w.rehired.externalId])),
      `deactivated: ${o.names(o.people('deactivated')) || 'none'}; reactivated: ${o.names(o.people('reactivated')) || 'none'}`,
    ],
    [
      'the duplicate delivery answered "duplicate" and synced once',
      again.status === 'duplicate' && again.duplicates === 1 && promotionResults.length === 1,
      `second answer ${JSON.stringify(again)}; results with its id: ${promotionResults.length}`,
    ],
    [
      'the out-of-order event changed nothing',
      olderResults.length === 0 &&
        (facts.staleDelta === undefined || facts.staleDelta === 1) &&
        (!previews.newer ||
          (previews.newer.outcome === 'unchanged' && writesOf(previews.newer).length === 0)) &&
        (!previews.older || previews.older.stale === true),
      `results with its id: ${olderResults.length}; stale count +${facts.staleDelta}; preview of the newer: ${previews.newer?.outcome} with ${previews.newer ? writesOf(previews.newer).length : '?'} writes`,
    ],
  ];
  if (previews.filledIn && facts.sampleReport) {
    checks.push([
      `Genesys matches HR for ${name(facts.sampleReport.externalId)} (manager filled in): preview needs no write`,
      previews.filledIn.outcome === 'unchanged' && writesOf(previews.filledIn).length === 0,
      `preview: ${previews.filledIn.outcome}, writes ${JSON.stringify(writesOf(previews.filledIn))}`,
    ]);
  }
  if (previews.rehire) {
    checks.push([
      `Genesys matches HR for ${name(w.rehired.externalId)} after the rehire: preview needs no write`,
      previews.rehire.outcome === 'unchanged' && writesOf(previews.rehire).length === 0,
      `preview: ${previews.rehire.outcome}, writes ${JSON.stringify(writesOf(previews.rehire))}`,
    ]);
  }
  return checks;
}
