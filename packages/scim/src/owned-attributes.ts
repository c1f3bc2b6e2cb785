import { type AttributeLocation, type OwnedPath, parseOwnedPaths } from './attribute-path.js';
import type { PatchOperation, ScimUser } from './schema.js';
import { valuePath } from './scim-filter.js';
import { getMember, type Normalized, normalizeValue, sameValue } from './semantic-value.js';

/** What the mapping owns, and which roles the sync may take away. */
export interface DiffOptions {
  /** Owned attribute paths (see `parseOwnedPath`); anything else is never read or written. */
  owned: readonly string[];
  /** Roles the policy manages: only these are removed when HR no longer asks for them. */
  managedRoles: ReadonlySet<string>;
}

/**
 * The state of one owned attribute in two users: the projections that were compared and the operations that
 * turn `actual` into `expected` (none when they agree). diffUser, compareUser and projectOwned share this.
 */
export interface AttributeDiff {
  field: string;
  expected: unknown;
  actual: unknown;
  ops: PatchOperation[];
}

type Element = Record<string, unknown>;

/** Reads the value at `location` (case-insensitively, as SCIM names are). */
export function readLocation(user: ScimUser, location: AttributeLocation): unknown {
  const container = location.schema === undefined ? user : getMember(user, location.schema);
  const value = getMember(container, location.attr);
  return location.sub === undefined ? value : getMember(value, location.sub);
}

/** The id a reference attribute (`manager`) points at: `{ value }` or, leniently, a bare string. */
export function referenceId(value: unknown): string | undefined {
  const id = typeof value === 'string' ? value : getMember(value, 'value');
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Every element of `attr` whose `type` is exactly `type` (Genesys's types are lowercase canonical values). */
export function elementsOfType(user: ScimUser, attr: string, type: string): Element[] {
  const list = getMember(user, attr);
  if (!Array.isArray(list)) return [];
  return list.filter(
    (item): item is Element =>
      item !== null && typeof item === 'object' && !Array.isArray(item) && getMember(item, 'type') === type,
  );
}

/** The distinct role names of a user, in order of appearance. */
export function roleNames(user: ScimUser): string[] {
  const roles = getMember(user, 'roles');
  if (!Array.isArray(roles)) return [];
  const names = new Set<string>();
  for (const role of roles) {
    const name = referenceId(role);
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

/** Evaluates every owned path of `current` against `desired`, in owned order. */
export function evaluateOwned(current: ScimUser, desired: ScimUser, options: DiffOptions): AttributeDiff[] {
  return parseOwnedPaths(options.owned).map((owned) =>
    evaluateOne(owned, current, desired, options.managedRoles),
  );
}

function evaluateOne(
  owned: OwnedPath,
  current: ScimUser,
  desired: ScimUser,
  managedRoles: ReadonlySet<string>,
): AttributeDiff {
  switch (owned.kind) {
    case 'attribute':
      return evaluateAttribute(owned, current, desired);
    case 'typed':
      return evaluateTyped(owned, current, desired);
    case 'roles':
      return evaluateRoles(current, desired, managedRoles);
  }
}

function evaluateAttribute(
  owned: Extract<OwnedPath, { kind: 'attribute' }>,
  current: ScimUser,
  desired: ScimUser,
): AttributeDiff {
  const rawActual = readLocation(current, owned.location);
  const rawExpected = readLocation(desired, owned.location);
  const reference = owned.match === 'reference';
  const actual = reference ? referenceId(rawActual) : normalizeValue(rawActual);
  const expected = reference ? referenceId(rawExpected) : normalizeValue(rawExpected);
  const diff: AttributeDiff = { field: owned.path, expected, actual, ops: [] };
  if (sameValue(actual, expected, owned.match === 'caseInsensitive')) return diff;
  if (expected === undefined) {
    diff.ops.push({ op: 'remove', path: owned.path });
    return diff;
  }
  const value = reference ? { value: expected } : expected;
  // Rule: `add` when the target has no value yet, `replace` when it has one. Both are valid for a single-valued
  // attribute (RFC 7644 §3.5.2.1 and .3); choosing by presence keeps strict providers happy either way.
  diff.ops.push({ op: actual === undefined ? 'add' : 'replace', path: owned.path, value });
  return diff;
}

/** Sub-attributes compared for a typed element: `value`, then whatever else desired sets, sorted. */
function comparedKeys(desiredElement: Record<string, Normalized>): string[] {
  const others = Object.keys(desiredElement)
    .filter((key) => key !== 'type' && key !== 'value')
    .sort();
  return ['value', ...others];
}

/** A current element reduced to the keys that are compared; `primary` absent reads as `false`. */
function projectElement(element: Element, type: string, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { type };
  for (const key of keys) {
    const value =
      key === 'primary' ? getMember(element, key) === true : normalizeValue(getMember(element, key));
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The sub-attributes of `have` that differ from `want` (on the keys `want` sets). */
function differingKeys(
  want: Record<string, Normalized>,
  have: Element,
  caseInsensitiveValue: boolean,
): string[] {
  return comparedKeys(want).filter((key) => {
    if (key === 'primary') return (getMember(have, key) === true) !== (want[key] === true);
    return !sameValue(getMember(have, key), want[key], key === 'value' && caseInsensitiveValue);
  });
}

/** Whether each wanted element can be paired with its own current element that matches it (small n: backtracking). */
function matchesAll(wanted: Array<Record<string, Normalized>>, current: Element[], ci: boolean): boolean {
  if (wanted.length !== current.length) return false;
  const used = new Array<boolean>(current.length).fill(false);
  const pair = (index: number): boolean => {
    const want = wanted[index];
    if (want === undefined) return true;
    for (let i = 0; i < current.length; i++) {
      const have = current[i];
      if (used[i] || have === undefined || differingKeys(want, have, ci).length > 0) continue;
      used[i] = true;
      if (pair(index + 1)) return true;
      used[i] = false;
    }
    return false;
  };
  return pair(0);
}

/** Elements of one type that carry a value; valueless ones are ignored (never counted, never removed). */
function valuedElements(user: ScimUser, attr: string, type: string): Element[] {
  return elementsOfType(user, attr, type).filter(
    (element) => normalizeValue(getMember(element, 'value')) !== undefined,
  );
}

function evaluateTyped(
  owned: Extract<OwnedPath, { kind: 'typed' }>,
  current: ScimUser,
  desired: ScimUser,
): AttributeDiff {
  const ci = owned.caseInsensitiveValue;
  const wanted = valuedElements(desired, owned.attr, owned.type).map((element) => {
    const normalized = normalizeValue(element) as Record<string, Normalized>;
    const out: Record<string, Normalized> = { type: owned.type };
    for (const key of comparedKeys(normalized)) if (normalized[key] !== undefined) out[key] = normalized[key];
    return out;
  });
  const present = valuedElements(current, owned.attr, owned.type);
  const project = (elements: Element[], keysFrom: Array<Record<string, Normalized>>) => {
    const keys = [...new Set(keysFrom.flatMap(comparedKeys))];
    const projected = elements.map((element) =>
      projectElement(element, owned.type, keys.length ? keys : ['value']),
    );
    return projected.length === 0 ? undefined : projected.length === 1 ? projected[0] : projected;
  };
  const diff: AttributeDiff = {
    field: owned.path,
    expected: wanted.length === 0 ? undefined : wanted.length === 1 ? wanted[0] : wanted,
    actual: project(present, wanted),
    ops: [],
  };

  const [want] = wanted;
  const [only] = present;
  if (want === undefined) {
    if (only !== undefined) diff.ops.push({ op: 'remove', path: owned.path });
    return diff;
  }
  if (wanted.length === 1 && present.length === 1 && only !== undefined) {
    for (const key of differingKeys(want, only, ci)) {
      diff.ops.push({ op: 'replace', path: `${owned.path}.${key}`, value: want[key] });
    }
    return diff;
  }
  if (matchesAll(wanted, present, ci)) return diff;
  // None yet, or several of one type: a filtered replace would rewrite all of them, so start over.
  if (present.length > 0) diff.ops.push({ op: 'remove', path: owned.path });
  diff.ops.push({ op: 'add', path: owned.attr, value: wanted.map((element) => ({ ...element })) });
  return diff;
}

/** Role names compare case-insensitively: Genesys matches them so (`Agent` and `agent` are one role). */
function foldRole(role: string): string {
  return role.toLowerCase();
}

function evaluateRoles(
  current: ScimUser,
  desired: ScimUser,
  managedRoles: ReadonlySet<string>,
): AttributeDiff {
  const have = roleNames(current);
  const want = roleNames(desired);
  const haveSet = new Set(have.map(foldRole));
  const wantSet = new Set(want.map(foldRole));
  // Sorted so the operations do not depend on the order the target or the mapping listed roles in.
  const toAdd = want.filter((role) => !haveSet.has(foldRole(role))).sort();
  // A removal names the role as the target spells it.
  const toRemove = have.filter((role) => managedRoles.has(role) && !wantSet.has(foldRole(role))).sort();
  const ops: PatchOperation[] = toRemove.map((role) => ({
    op: 'remove',
    path: valuePath('roles', 'value', role),
  }));
  if (toAdd.length > 0) ops.push({ op: 'add', path: 'roles', value: toAdd.map((value) => ({ value })) });
  const kept = have.filter((role) => !managedRoles.has(role));
  // Expected in the target's spelling where it holds the role already, so a case difference is no mismatch.
  const spelled = new Map(have.map((role) => [foldRole(role), role]));
  const expected = new Map<string, string>();
  for (const role of [...want, ...kept]) {
    const fold = foldRole(role);
    if (!expected.has(fold)) expected.set(fold, spelled.get(fold) ?? role);
  }
  return {
    field: 'roles',
    expected: [...expected.values()].sort(),
    actual: [...have].sort(),
    ops,
  };
}
