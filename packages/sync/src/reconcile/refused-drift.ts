import type { Discrepancy } from '@dirsync/reports';
import type { AttributeMismatch } from '@dirsync/scim';
import { DIVISION_FIELD } from '../phone-cleaning.js';
import type { RefusalMemory, RememberedRefusal } from '../refusal-store.js';
import { hashValue } from '../refused-attributes.js';
import { isTargetNormalisation } from '../target-baseline.js';
import type { DirectoryComparison } from './compare-directory.js';

/** A drift that is a value the target refused (and still would): reported as such, never re-fixed. */
export interface RefusedDrift {
  externalId: string;
  scimId: string;
  mismatch: AttributeMismatch;
  refusal: RememberedRefusal;
}

/**
 * Takes out of the drift what a sync would not write either: differences the target makes itself (an e-mail's
 * `primary`, the case of a name), a division HR does not give and an unusable value (both left alone), and values the target refused for
 * that person that HR has not changed since (returned, to be reported `attribute_refused`). People left with no
 * drift count as in sync. Changes `comparison` in place.
 */
export async function settleRefusedDrift(
  comparison: DirectoryComparison,
  refusals: RefusalMemory | undefined,
  unusable: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): Promise<RefusedDrift[]> {
  const refused: RefusedDrift[] = [];
  const stillDrifted: DirectoryComparison['drifted'] = [];
  for (const person of comparison.drifted) {
    const remembered = (await refusals?.recall(person.externalId)) ?? new Map<string, RememberedRefusal>();
    const leftAlone = unusable.get(person.externalId);
    const kept: AttributeMismatch[] = [];
    for (const m of person.mismatches) {
      if (isTargetNormalisation(m)) continue;
      if (m.field === DIVISION_FIELD && m.expected === undefined) continue;
      if (leftAlone?.has(m.field)) continue;
      const refusal = remembered.get(m.field);
      if (refusal && refusal.hash === hashValue(m.expected)) {
        refused.push({ externalId: person.externalId, scimId: person.scimId, mismatch: m, refusal });
        continue;
      }
      kept.push(m);
    }
    if (kept.length > 0 || person.inactive) stillDrifted.push({ ...person, mismatches: kept });
    else comparison.inSync.push(person.externalId);
  }
  comparison.drifted = stillDrifted;
  return refused;
}

/** The report line of a refused drift: what HR asks for, what the target holds, why it refused. */
export function refusedDriftDiscrepancy(drift: RefusedDrift, runId: string): Discrepancy {
  const discrepancy: Discrepancy = {
    externalId: drift.externalId,
    scimId: drift.scimId,
    correlationId: runId,
    type: 'attribute_refused',
    field: drift.mismatch.field,
    expected: drift.mismatch.expected,
    actual: drift.mismatch.actual,
    detail: `${drift.refusal.detail} (refused earlier; not sent again until HR changes it)`,
  };
  if (drift.refusal.targetCorrelationId) discrepancy.targetCorrelationId = drift.refusal.targetCorrelationId;
  return discrepancy;
}
