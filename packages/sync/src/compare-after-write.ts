import type { Discrepancy } from '@dirsync/reports';
import { compareUser, type ScimUser } from '@dirsync/scim';
import type { AttributeGuard } from './attribute-guard.js';
import { baselineAfterWrite, isTargetNormalisation, type TargetBaseline } from './target-baseline.js';

/**
 * Compares what the target answered after a write with what was sent. What it answered becomes the baseline: its
 * own normalisations (a dropped `primary` flag, a reformatted date) are neither reported nor written over later;
 * any other difference is an `attribute_mismatch`.
 */
export function compareAfterWrite(
  answered: ScimUser | undefined,
  guard: AttributeGuard,
  subject: { externalId: string; scimId: string; correlationId: string },
): { discrepancies: Discrepancy[]; baseline: TargetBaseline | undefined } {
  if (!answered) return { discrepancies: [], baseline: undefined };
  const compared = guard.diffOptions();
  const mismatches = compareUser(answered, guard.desired, compared).filter((m) => !isTargetNormalisation(m));
  return {
    baseline: baselineAfterWrite(answered, guard.desired, compared),
    discrepancies: mismatches.map((m) => ({
      ...subject,
      type: 'attribute_mismatch',
      field: m.field,
      expected: m.expected,
      actual: m.actual,
      detail: `after the write the target holds a different ${m.field} than was sent`,
    })),
  };
}
