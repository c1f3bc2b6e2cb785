import { DirsyncError } from '@dirsync/core';
import { ENTERPRISE_USER_SCHEMA, SCIM_USER_SCHEMA } from './schema.js';
import { valuePath } from './scim-filter.js';

/** Where a single-valued attribute lives: top level or inside an extension, optionally one sub-attribute down. */
export interface AttributeLocation {
  /** Extension schema URN; undefined for core attributes. */
  schema?: string;
  attr: string;
  sub?: string;
}

/**
 * One owned attribute path, parsed. `path` is the canonical RFC 7644 path the diff writes to.
 * - `attribute`: a single value (`title`, `name.givenName`, `urn:…:User:department`); `match` says how values
 *   compare: `exact`, `caseInsensitive` (`userName`) or `reference` (`manager`: only its `value` counts).
 * - `typed`: the element of a multi-valued attribute with a given `type` (`emails[type eq "work"]`).
 * - `roles`: the role set, keyed by `value`; only managed roles are ever removed.
 */
export type OwnedPath =
  | {
      kind: 'attribute';
      path: string;
      location: AttributeLocation;
      match: 'exact' | 'caseInsensitive' | 'reference';
    }
  | { kind: 'typed'; path: string; attr: string; type: string; caseInsensitiveValue: boolean }
  | { kind: 'roles'; path: 'roles' };

const NAME = '[A-Za-z][A-Za-z0-9_$-]*';
// attr, optionally [type eq "…"] (a JSON string literal), optionally .sub
const RELATIVE_PATH = new RegExp(
  `^(${NAME})(?:\\[\\s*type\\s+eq\\s+("(?:[^"\\\\]|\\\\.)*")\\s*\\])?(?:\\.(${NAME}))?$`,
);

const SCHEMA_URN = /^urn:[A-Za-z0-9][^\s"[\]]*$/i;

/** Attributes whose values Genesys compares case-insensitively: the user name and e-mail addresses. */
const CASE_INSENSITIVE_ATTRIBUTES = new Set(['username']);
const CASE_INSENSITIVE_TYPED = new Set(['emails']);

function invalid(path: string, why: string): DirsyncError {
  return new DirsyncError('invalid_owned_path', `Owned attribute path ${JSON.stringify(path)} ${why}`, {
    details: { path },
  });
}

/**
 * Parses one owned attribute path in the notation the transform package produces: `userName`, `name.givenName`,
 * `emails[type eq "work"]`, `roles`, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
 * A core-schema URN prefix is accepted and dropped. Throws a `DirsyncError` (`invalid_owned_path`) otherwise.
 */
export function parseOwnedPath(raw: string): OwnedPath {
  const path = raw.trim();
  let schema: string | undefined;
  let relative = path;
  if (/^urn:/i.test(path)) {
    // The schema URN ends at the last ':' before any filter (a filter value may itself contain ':').
    const bracket = path.indexOf('[');
    const head = bracket < 0 ? path : path.slice(0, bracket);
    const colon = head.lastIndexOf(':');
    schema = path.slice(0, colon);
    relative = path.slice(colon + 1);
    if (!SCHEMA_URN.test(schema)) throw invalid(path, 'does not start with a schema URN (urn:…)');
    if (schema.toLowerCase() === SCIM_USER_SCHEMA.toLowerCase()) schema = undefined;
  }
  const match = RELATIVE_PATH.exec(relative);
  if (!match) throw invalid(path, 'is not a supported SCIM attribute path');
  const [, attr = '', quotedType, sub] = match;
  if (quotedType !== undefined) {
    if (schema !== undefined) throw invalid(path, 'filters an extension attribute, which is not supported');
    if (sub !== undefined) throw invalid(path, 'must name the whole element (drop the sub-attribute)');
    const type = parseFilterValue(quotedType);
    if (type === undefined) throw invalid(path, 'has a filter value that is not a valid JSON string');
    return {
      kind: 'typed',
      path: valuePath(attr, 'type', type),
      attr,
      type,
      caseInsensitiveValue: CASE_INSENSITIVE_TYPED.has(attr.toLowerCase()),
    };
  }
  if (schema === undefined && sub === undefined && attr.toLowerCase() === 'roles')
    return { kind: 'roles', path: 'roles' };
  const location: AttributeLocation = { attr };
  if (schema !== undefined) location.schema = schema;
  if (sub !== undefined) location.sub = sub;
  const isManager =
    schema?.toLowerCase() === ENTERPRISE_USER_SCHEMA.toLowerCase() && attr === 'manager' && sub === undefined;
  return {
    kind: 'attribute',
    path: attributePath(location),
    location,
    match: isManager
      ? 'reference'
      : schema === undefined && sub === undefined && CASE_INSENSITIVE_ATTRIBUTES.has(attr.toLowerCase())
        ? 'caseInsensitive'
        : 'exact',
  };
}

function parseFilterValue(quoted: string): string | undefined {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined;
  }
}

/** Whether {@link parseOwnedPath} accepts `raw`. */
export function isOwnedPath(raw: string): boolean {
  try {
    parseOwnedPath(raw);
    return true;
  } catch (error) {
    if (error instanceof DirsyncError) return false;
    throw error;
  }
}

/** Parses every owned path, dropping duplicates (by canonical path) while keeping the first occurrence's order. */
export function parseOwnedPaths(owned: readonly string[]): OwnedPath[] {
  const seen = new Set<string>();
  const out: OwnedPath[] = [];
  for (const raw of owned) {
    const parsed = parseOwnedPath(raw);
    if (seen.has(parsed.path)) continue;
    seen.add(parsed.path);
    out.push(parsed);
  }
  return out;
}

/** The RFC 7644 path of a single-valued attribute: `title`, `name.givenName`, `urn:…:User:department`. */
export function attributePath(location: AttributeLocation): string {
  const relative = location.sub === undefined ? location.attr : `${location.attr}.${location.sub}`;
  return location.schema === undefined ? relative : `${location.schema}:${relative}`;
}
