import type { ScimUser } from './schema.js';

/**
 * The version of a resource as the target reported it: the `ETag` header, else `meta.version`, else undefined
 * (a target without versions: writes then go without `If-Match`).
 */
export function readVersion(
  headers: Record<string, unknown>,
  user: ScimUser | undefined,
): string | undefined {
  const etag = headers.etag;
  if (typeof etag === 'string' && etag.trim() !== '') return etag.trim();
  const version: unknown = user?.meta?.version;
  if (typeof version === 'string' && version.trim() !== '') return version.trim();
  if (typeof version === 'number') return String(version);
  return undefined;
}

/** An `If-Match` value: an entity tag as given (`"42"`, `W/"abc"`), or a bare version quoted (`42` → `"42"`). */
export function toIfMatch(version: string): string {
  return /^(W\/)?".*"$/.test(version) ? version : `"${version.replace(/"/g, '')}"`;
}
