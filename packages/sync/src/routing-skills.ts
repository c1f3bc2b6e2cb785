import type { PatchOperation, ScimUser } from '@dirsync/scim';

/** The Genesys user extension that holds routing skills and languages. */
export const GENESYS_USER_URN = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
/** Genesys's limit of skills (and of languages) per user. */
export const MAX_ROUTING_ENTRIES = 50;

export type RoutingKind = 'routingSkills' | 'routingLanguages';
export const ROUTING_KINDS: readonly RoutingKind[] = ['routingSkills', 'routingLanguages'];

/** One skill or language with its proficiency (0–5). */
export interface RoutingEntry {
  name: string;
  proficiency: number;
}

/** An HR entry that cannot be written, and why. */
export interface RejectedEntry {
  name: string;
  reason: string;
}

/** The owned path of one routing kind. */
export const routingPath = (kind: RoutingKind): string => `${GENESYS_USER_URN}:${kind}`;

/** The HR field that feeds one routing kind. */
export const hrFieldOf = (kind: RoutingKind): string => (kind === 'routingSkills' ? 'skills' : 'languages');

/** The entries a user holds for one kind (from a target resource or a mapping's output); malformed ones are skipped. */
export function readRouting(user: ScimUser | undefined, kind: RoutingKind): RoutingEntry[] {
  const extension = user?.[GENESYS_USER_URN] as Record<string, unknown> | undefined;
  const list = extension?.[kind];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    const entry = item as { name?: unknown; proficiency?: unknown } | null;
    if (typeof entry?.name !== 'string') return [];
    return [{ name: entry.name, proficiency: Number(entry.proficiency ?? 0) }];
  });
}

/** Splits HR's raw entries (as the mapping passed them) into writable ones and ones no target can take. */
export function checkWanted(raw: unknown): { wanted: RoutingEntry[]; rejected: RejectedEntry[] } {
  const wanted: RoutingEntry[] = [];
  const rejected: RejectedEntry[] = [];
  const seen = new Set<string>();
  for (const item of Array.isArray(raw) ? raw : []) {
    const entry = item as { name?: unknown; proficiency?: unknown } | null;
    const name = typeof entry?.name === 'string' ? entry.name : undefined;
    if (name === undefined) continue;
    const proficiency = entry?.proficiency;
    if (
      typeof proficiency !== 'number' ||
      !Number.isInteger(proficiency) ||
      proficiency < 0 ||
      proficiency > 5
    ) {
      rejected.push({ name, reason: 'the proficiency must be a whole number from 0 to 5' });
    } else if (seen.has(name)) {
      rejected.push({ name, reason: 'listed twice; the first entry is used' });
    } else {
      seen.add(name);
      wanted.push({ name, proficiency });
    }
  }
  return { wanted, rejected };
}

/**
 * The array to write for one kind: the current entries, with the managed ones set to what HR wants (changed in
 * place, removed when HR no longer asks) and HR's new ones appended. Entries that are not managed (assigned by
 * hand) stay as they are, unless HR asks for them by name (then HR's proficiency wins and they become managed).
 */
export function mergeRouting(
  current: readonly RoutingEntry[],
  wanted: readonly RoutingEntry[],
  isManaged: (name: string) => boolean,
): RoutingEntry[] {
  const byName = new Map(wanted.map((entry) => [entry.name, entry]));
  const merged: RoutingEntry[] = [];
  const placed = new Set<string>();
  for (const entry of current) {
    const want = byName.get(entry.name);
    if (want) {
      if (!placed.has(want.name)) merged.push(want);
      placed.add(want.name);
    } else if (!isManaged(entry.name)) merged.push(entry);
  }
  for (const entry of wanted) if (!placed.has(entry.name)) merged.push(entry);
  return merged;
}

/** Whether two arrays hold the same names with the same proficiencies (order does not matter to Genesys). */
export function sameRouting(a: readonly RoutingEntry[], b: readonly RoutingEntry[]): boolean {
  if (a.length !== b.length) return false;
  const byName = new Map(a.map((entry) => [entry.name, entry.proficiency]));
  return b.every((entry) => byName.get(entry.name) === entry.proficiency);
}

/**
 * The operation that replaces one kind's whole array (read-modify-write: filtered paths such as
 * `routingSkills[name eq "x"]` are not documented for Genesys), or none when nothing differs.
 */
export function routingOperation(
  kind: RoutingKind,
  current: readonly RoutingEntry[],
  next: readonly RoutingEntry[],
): PatchOperation | undefined {
  if (sameRouting(current, next)) return undefined;
  const path = routingPath(kind);
  if (next.length === 0) return { op: 'remove', path };
  return { op: 'replace', path, value: next.map((e) => ({ ...e })) };
}
