/**
 * Owned attribute paths, in the notation the SCIM diff shares:
 * - `userName`, `displayName`, `roles` — a top-level attribute, owned whole;
 * - `name.givenName` — a sub-attribute of a complex attribute;
 * - `emails[type eq "work"]` — the element of a multi-valued attribute with that literal `type`;
 * - `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department` — an extension attribute (URN, `:`,
 *   attribute name).
 */
const ATTRIBUTE = '[A-Za-z][A-Za-z0-9_$-]*';
const OWNED_PATH = new RegExp(
  `^(?:${ATTRIBUTE}(?:\\.${ATTRIBUTE}|\\[type eq "[^"\\\\]*"\\])?|urn:[A-Za-z0-9][^\\s"\\[\\]]*:${ATTRIBUTE})$`,
);

/** Whether `path` is in the owned-path notation. */
export function isOwnedPath(path: string): boolean {
  return OWNED_PATH.test(path);
}

/** Whether an object key names a schema extension (its value holds that extension's attributes). */
export function isExtensionUrn(key: string): boolean {
  return key.startsWith('urn:');
}

/** The path of the element of multi-valued `attribute` whose `type` is `type`. */
export function typedElementPath(attribute: string, type: string): string {
  return `${attribute}[type eq ${JSON.stringify(type)}]`;
}

/** The top-level attribute (or extension URN + attribute) a path belongs to: `emails[type eq "work"]` → `emails`. */
function ownerOf(path: string): string {
  if (isExtensionUrn(path)) return path;
  const match = /^[^.[]+/.exec(path);
  return match ? match[0] : path;
}

/**
 * Deduplicates paths, keeping first-seen order, and drops parts of an attribute that is also owned whole
 * (`emails` owns every `emails[type eq …]`).
 */
export function normalizeOwned(paths: Iterable<string>): string[] {
  const unique = [...new Set(paths)];
  const whole = new Set(unique.filter((p) => ownerOf(p) === p));
  return unique.filter((p) => ownerOf(p) === p || !whole.has(ownerOf(p)));
}
