import type { AttributeMismatch, ScimUser } from '@dirsync/scim';
import { checkWanted, type RoutingKind, readRouting, routingPath } from '../routing-skills.js';

/** What reconcile needs to know about managed groups, skills and languages. */
export interface ManagedAssignments {
  /** Matched without case. */
  managedGroups?: ReadonlySet<string>;
  managedSkills?: ReadonlySet<string>;
  managedLanguages?: ReadonlySet<string>;
}

const MEMBER = 'member';
const NOT_MEMBER = 'not a member';

function groupNames(list: unknown): string[] {
  return (Array.isArray(list) ? list : []).flatMap((g: unknown) => {
    const name = typeof g === 'string' ? g : (g as { display?: unknown } | null)?.display;
    return typeof name === 'string' && name.trim() !== '' ? [name.trim()] : [];
  });
}

/**
 * Drift in managed group memberships, skills and languages, one mismatch per item (`groups[display eq "Sales"]`,
 * `urn:…:routingSkills[name eq "Billing"]`). Only managed items count: hand-made memberships and hand-assigned
 * skills are never drift. When the policy names no skills (or languages), only HR's own ones are checked, since
 * which others dirsync added is remembered per person, not in the snapshot.
 */
export function compareAssignments(
  target: ScimUser,
  desired: ScimUser,
  managed: ManagedAssignments,
  owned: readonly string[],
): AttributeMismatch[] {
  const out: AttributeMismatch[] = [];
  if (owned.includes('groups')) {
    const isManaged = (name: string) => managed.managedGroups?.has(name) ?? false;
    const wanted = groupNames(desired.groups).filter(isManaged);
    const have = groupNames(target.groups);
    const fold = (names: string[]) => new Set(names.map((n) => n.toLowerCase()));
    const haveFolds = fold(have);
    const wantFolds = fold(wanted);
    for (const name of wanted.filter((n) => !haveFolds.has(n.toLowerCase())))
      out.push({ field: `groups[display eq ${JSON.stringify(name)}]`, expected: MEMBER, actual: NOT_MEMBER });
    for (const name of have.filter((n) => isManaged(n) && !wantFolds.has(n.toLowerCase())))
      out.push({ field: `groups[display eq ${JSON.stringify(name)}]`, expected: NOT_MEMBER, actual: MEMBER });
  }
  const kinds: Array<[RoutingKind, ReadonlySet<string> | undefined]> = [
    ['routingSkills', managed.managedSkills],
    ['routingLanguages', managed.managedLanguages],
  ];
  for (const [kind, names] of kinds) {
    if (!owned.includes(routingPath(kind))) continue;
    out.push(...compareRouting(kind, target, desired, names ?? new Set()));
  }
  return out;
}

function compareRouting(
  kind: RoutingKind,
  target: ScimUser,
  desired: ScimUser,
  managed: ReadonlySet<string>,
): AttributeMismatch[] {
  const field = (name: string) => `${routingPath(kind)}[name eq ${JSON.stringify(name)}]`;
  const { wanted } = checkWanted(readRouting(desired, kind));
  const mine = wanted.filter((e) => managed.size === 0 || managed.has(e.name));
  const have = new Map(readRouting(target, kind).map((e) => [e.name, e.proficiency]));
  const out: AttributeMismatch[] = [];
  for (const entry of mine) {
    const actual = have.get(entry.name);
    if (actual !== entry.proficiency)
      out.push({ field: field(entry.name), expected: entry.proficiency, actual });
  }
  const wantedNames = new Set(mine.map((e) => e.name));
  for (const [name, proficiency] of have) {
    if (managed.has(name) && !wantedNames.has(name))
      out.push({ field: field(name), expected: undefined, actual: proficiency });
  }
  return out;
}
