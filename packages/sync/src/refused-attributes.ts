import { createHash } from 'node:crypto';
import { type OwnedPath, type PatchOperation, parseOwnedPath, ScimError } from '@dirsync/scim';

/** A 400 that is not a version conflict: the target refuses something in the request, not the version. */
export function isAttributeRefusal(error: unknown): error is ScimError {
  return error instanceof ScimError && error.kind === 'bad_request' && error.status === 400;
}

/** A field the target refused, with the refusal that showed it. */
export interface RefusedField {
  field: string;
  error: ScimError;
}

/** The owned paths, parsed once (canonical `path` plus what is needed to match operations to them). */
export function parseFields(owned: readonly string[]): OwnedPath[] {
  return owned.map((raw) => parseOwnedPath(raw));
}

/** The owned field (canonical path) a PATCH operation writes; the op's own path when none matches. */
export function fieldOfOperation(op: PatchOperation, fields: readonly OwnedPath[]): string {
  const path = op.path ?? '';
  const lower = path.toLowerCase();
  for (const owned of fields) {
    const own = owned.path.toLowerCase();
    if (owned.kind === 'roles') {
      if (lower === 'roles' || lower.startsWith('roles[')) return owned.path;
      continue;
    }
    if (lower === own || lower.startsWith(`${own}.`)) return owned.path;
    if (owned.kind === 'typed' && lower === owned.attr.toLowerCase() && addsOnlyType(op, owned.type))
      return owned.path;
  }
  return path;
}

function addsOnlyType(op: PatchOperation, type: string): boolean {
  if (!Array.isArray(op.value)) return false;
  return op.value.every(
    (element) =>
      element !== null && typeof element === 'object' && (element as Record<string, unknown>).type === type,
  );
}

/** Operations grouped by the field they write, in first-appearance order (a field's remove stays before its add). */
export function groupByField(
  ops: readonly PatchOperation[],
  fields: readonly OwnedPath[],
): Array<{ field: string; ops: PatchOperation[] }> {
  const groups = new Map<string, PatchOperation[]>();
  for (const op of ops) {
    const field = fieldOfOperation(op, fields);
    const list = groups.get(field);
    if (list) list.push(op);
    else groups.set(field, [op]);
  }
  return [...groups].map(([field, list]) => ({ field, ops: list }));
}

/**
 * The fields among `candidates` that a refusal's detail names: the detail quotes an attribute path (Genesys and
 * the simulator write `'phoneNumbers[type eq "work"].value'`) that is the field, lies inside it, or is the
 * multi-valued attribute the field is an element of. None when the detail names nothing recognisable.
 */
export function fieldsNamedBy(detail: string | undefined, candidates: readonly string[]): string[] {
  if (!detail) return [];
  const quoted = [...detail.matchAll(/'([^']+)'/g)].map((m) => (m[1] ?? '').toLowerCase());
  if (quoted.length === 0) return [];
  return candidates.filter((field) => {
    const own = field.toLowerCase();
    const attr = own.split('[')[0] ?? own;
    return quoted.some(
      (q) => q === own || q.startsWith(`${own}.`) || q.startsWith(`${own}[`) || (q === attr && attr !== own),
    );
  });
}

/** A short stable hash of a value (object keys sorted): equal values, equal hashes. */
export function hashValue(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
