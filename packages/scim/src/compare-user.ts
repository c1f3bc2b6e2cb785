import { type DiffOptions, evaluateOwned } from './owned-attributes.js';
import type { ScimUser } from './schema.js';

/** One owned attribute on which the target's state differs from the intended one. */
export interface AttributeMismatch {
  /** The owned path, e.g. `title`, `emails[type eq "work"]`, `roles`. */
  field: string;
  expected: unknown;
  actual: unknown;
}

/**
 * What still differs on owned attributes between `actual` (the target's answer after a write) and `desired`, with
 * the same semantics as `diffUser`: an entry exactly where `diffUser(actual, desired)` would write something.
 * Values are the compared projections: normalized values, the manager's id, a typed element reduced to `type`,
 * `value` and the sub-attributes desired sets, and for roles the sorted role names (expected: desired plus the
 * unmanaged roles the target keeps).
 */
export function compareUser(actual: ScimUser, desired: ScimUser, options: DiffOptions): AttributeMismatch[] {
  return evaluateOwned(actual, desired, options)
    .filter((diff) => diff.ops.length > 0)
    .map(({ field, expected, actual: found }) => ({ field, expected, actual: found }));
}
