import { parseOwnedPaths } from './attribute-path.js';
import { elementsOfType, readLocation, referenceId } from './owned-attributes.js';
import type { ScimUser } from './schema.js';
import { getMember, normalizeValue } from './semantic-value.js';

function objectAt(container: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = container[key];
  if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) {
    return existing as Record<string, unknown>;
  }
  const created: Record<string, unknown> = {};
  container[key] = created;
  return created;
}

/**
 * Only the owned attributes of `user`, normalized (absent values dropped): the state worth caching between syncs.
 * Typed elements keep all their sub-attributes, roles keep every role (managed or not), a manager keeps only its
 * `value`. `diffUser(projectOwned(u), d)` equals `diffUser(u, d)` for the same options.
 */
export function projectOwned(user: ScimUser, options: { owned: readonly string[] }): ScimUser {
  const out: ScimUser = {};
  for (const owned of parseOwnedPaths(options.owned)) {
    if (owned.kind === 'roles') {
      const roles = normalizeValue(getMember(user, 'roles'));
      if (Array.isArray(roles)) {
        const kept = roles.filter((role) => referenceId(role) !== undefined);
        if (kept.length > 0) out.roles = kept as ScimUser['roles'];
      }
      continue;
    }
    if (owned.kind === 'typed') {
      const elements = elementsOfType(user, owned.attr, owned.type)
        .map(normalizeValue)
        .filter((element) => element !== undefined);
      if (elements.length === 0) continue;
      const list = out[owned.attr];
      out[owned.attr] = Array.isArray(list) ? [...list, ...elements] : elements;
      continue;
    }
    const raw = readLocation(user, owned.location);
    const value = owned.match === 'reference' ? referenceId(raw) : normalizeValue(raw);
    if (value === undefined) continue;
    const { schema, attr, sub } = owned.location;
    const container = schema === undefined ? (out as Record<string, unknown>) : objectAt(out, schema);
    const stored = owned.match === 'reference' ? { value } : value;
    if (sub === undefined) container[attr] = stored;
    else objectAt(container, attr)[sub] = stored;
  }
  return out;
}
