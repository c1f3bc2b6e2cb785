import { type DiffOptions, evaluateOwned } from './owned-attributes.js';
import type { PatchOperation, ScimUser } from './schema.js';

/** A path naming a whole attribute (no filter, sub-attribute or schema), whose array `add`s can be merged. */
const PLAIN_ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_$-]*$/;

/**
 * The minimal RFC 7644 PATCH operations that turn `current` into `desired` on the attributes the mapping owns,
 * and nothing else. An owned attribute absent from `desired` is removed from the target; a desired attribute that
 * is not owned is ignored. Roles: desired roles missing from `current` are added, and a current role is removed
 * only when it is in `managedRoles` and not desired.
 *
 * Order: all `remove`s first (so a re-added element is never caught by a later remove), then `replace`/`add` in
 * owned order; `add`s of elements to the same multi-valued attribute are merged into one operation.
 * Returns `[]` when nothing differs.
 */
export function diffUser(current: ScimUser, desired: ScimUser, options: DiffOptions): PatchOperation[] {
  const ops = evaluateOwned(current, desired, options).flatMap((diff) => diff.ops);
  const removes = ops.filter((op) => op.op === 'remove');
  const writes: PatchOperation[] = [];
  const merged = new Map<string, unknown[]>();
  for (const op of ops) {
    if (op.op === 'remove') continue;
    if (
      op.op === 'add' &&
      op.path !== undefined &&
      PLAIN_ATTRIBUTE.test(op.path) &&
      Array.isArray(op.value)
    ) {
      const existing = merged.get(op.path);
      if (existing) {
        existing.push(...op.value);
        continue;
      }
      const value = [...op.value];
      merged.set(op.path, value);
      writes.push({ op: 'add', path: op.path, value });
      continue;
    }
    writes.push(op);
  }
  return [...removes, ...writes];
}
