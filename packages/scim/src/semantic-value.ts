/**
 * Value semantics shared by the diff, the comparison and the projection: missing, `null`, `''`, `[]` and `{}` are
 * all "absent"; multi-valued attributes are unordered.
 */

export type Normalized = string | number | boolean | Normalized[] | { [key: string]: Normalized };

/** True for `undefined`, `null`, `''`, an empty array and an object whose every member is absent. */
export function isAbsent(value: unknown): boolean {
  return normalizeValue(value) === undefined;
}

/**
 * Drops absent members recursively and returns `undefined` when nothing is left. Strings are kept verbatim
 * (whitespace is meaningful to the target); arrays keep their order (comparison ignores it).
 */
export function normalizeValue(value: unknown): Normalized | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const items = value.map(normalizeValue).filter((v): v is Normalized => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, Normalized> = {};
    for (const [key, member] of Object.entries(value)) {
      const normalized = normalizeValue(member);
      if (normalized !== undefined) out[key] = normalized;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return undefined;
}

/**
 * Semantic equality of two attribute values. `caseInsensitive` folds the case of every string inside (for
 * `userName` and e-mail addresses, which Genesys treats case-insensitively).
 */
export function sameValue(a: unknown, b: unknown, caseInsensitive = false): boolean {
  return sameNormalized(normalizeValue(a), normalizeValue(b), caseInsensitive);
}

function sameNormalized(a: Normalized | undefined, b: Normalized | undefined, ci: boolean): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === 'string' && typeof b === 'string')
    return ci ? a.toLowerCase() === b.toLowerCase() : a === b;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    // Order-insensitive multiset match; arrays here are a handful of elements.
    const unmatched = [...b];
    for (const item of a) {
      const index = unmatched.findIndex((candidate) => sameNormalized(item, candidate, ci));
      if (index < 0) return false;
      unmatched.splice(index, 1);
    }
    return true;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!sameNormalized(a[key], b[key], ci)) return false;
  return true;
}

/** Reads `key` from an object, falling back to a case-insensitive match (SCIM attribute names are case-insensitive). */
export function getMember(container: unknown, key: string): unknown {
  if (container === null || typeof container !== 'object' || Array.isArray(container)) return undefined;
  const record = container as Record<string, unknown>;
  if (key in record) return record[key];
  const lower = key.toLowerCase();
  for (const [candidate, value] of Object.entries(record))
    if (candidate.toLowerCase() === lower) return value;
  return undefined;
}
