import { type Filter, parse } from 'scim2-parse-filter';
import { badRequest } from '../errors/scim-http-error.js';
import { protectFilterValues } from './filter-values.js';
import { CORE_USER_URN, type ExtensionUrn } from './urns.js';
import { type AttributeDef, attributesOf, findAttribute, findExtensionUrn } from './user-schema.js';

/** A resolved RFC 7644 attribute path (`title`, `emails[type eq "work"].value`, `urn:…:User:manager`). */
export type AttributePath =
  | { kind: 'extension'; schema: ExtensionUrn }
  | {
      kind: 'attribute';
      /** The extension holding the attribute; undefined for the core schema. */
      schema: ExtensionUrn | undefined;
      attribute: AttributeDef;
      /** A value filter on a multi-valued attribute, with canonical sub-attribute names. */
      filter?: Filter;
      subAttribute?: AttributeDef;
    };

const invalidPath = (path: string, why: string) =>
  badRequest('invalidPath', `Invalid path '${path}': ${why}`);

/**
 * Resolves `path` against the Genesys User schema. The grammar is parsed by scim2-parse-filter (a path is an
 * attribute expression without its operator: `x` becomes `x pr`, `a[f].b` becomes `a[f] and a.b pr`); the
 * names are then checked here, so an unknown attribute (`name.givenName`, `customFields`, `…:costCenter`) is
 * refused with `invalidPath` rather than written as a new key.
 */
export function parseAttributePath(path: string): AttributePath {
  const text = path.trim();
  if (text === '') throw invalidPath(path, 'empty');
  const extension = findExtensionUrn(text);
  if (extension) return { kind: 'extension', schema: extension };

  let ast: Filter;
  try {
    const shielded = protectFilterValues(text.endsWith(']') ? text : `${text} pr`);
    ast = shielded.restore(parse(shielded.text));
  } catch (error) {
    throw invalidPath(
      path,
      `not an attribute path (${error instanceof Error ? error.message : String(error)})`,
    );
  }

  let full: string;
  let filter: Filter | undefined;
  let sub: string | undefined;
  if (ast.op === 'pr') {
    full = ast.attrPath;
  } else if (ast.op === '[]') {
    full = ast.attrPath;
    filter = ast.valFilter;
  } else if (ast.op === 'and' && ast.filters.length === 2) {
    const [valuePath, subPath] = ast.filters;
    if (
      valuePath?.op !== '[]' ||
      subPath?.op !== 'pr' ||
      !subPath.attrPath.startsWith(`${valuePath.attrPath}.`)
    ) {
      throw invalidPath(path, 'not an attribute path');
    }
    full = valuePath.attrPath;
    filter = valuePath.valFilter;
    sub = subPath.attrPath.slice(valuePath.attrPath.length + 1);
  } else {
    throw invalidPath(path, 'not an attribute path');
  }

  let schema: ExtensionUrn | undefined;
  let rest = full;
  const colon = full.lastIndexOf(':');
  if (colon >= 0) {
    const urn = full.slice(0, colon);
    rest = full.slice(colon + 1);
    if (urn.toLowerCase() !== CORE_USER_URN.toLowerCase()) {
      schema = findExtensionUrn(urn);
      if (!schema) throw invalidPath(path, `unknown schema '${urn}'`);
    }
  }

  const parts = rest.split('.');
  if (sub !== undefined) parts.push(sub);
  const [name, subName, ...extra] = parts;
  if (!name || extra.length > 0 || subName === '') throw invalidPath(path, 'too many levels');
  const attribute = findAttribute(attributesOf(schema), name);
  if (!attribute) throw invalidPath(path, `unknown attribute '${name}'`);

  let subAttribute: AttributeDef | undefined;
  if (subName !== undefined) {
    subAttribute = attribute.subAttributes ? findAttribute(attribute.subAttributes, subName) : undefined;
    if (!subAttribute) throw invalidPath(path, `unknown sub-attribute '${name}.${subName}'`);
  }
  if (filter !== undefined) {
    if (!attribute.multiValued || !attribute.subAttributes) {
      throw invalidPath(path, `'${attribute.name}' is not a multi-valued complex attribute`);
    }
    filter = canonicalizeValueFilter(filter, attribute, path);
  }
  return { kind: 'attribute', schema, attribute, filter, subAttribute };
}

/** Rewrites the names in a value filter (`Type eq "work"`) to the schema's spelling; unknown names are refused. */
function canonicalizeValueFilter(filter: Filter, attribute: AttributeDef, path: string): Filter {
  const subAttributes = attribute.subAttributes ?? [];
  const resolve = (name: string) => {
    const found = findAttribute(subAttributes, name);
    if (!found) throw invalidPath(path, `unknown sub-attribute '${attribute.name}.${name}' in the filter`);
    return found.name;
  };
  switch (filter.op) {
    case 'and':
    case 'or':
      return {
        op: filter.op,
        filters: filter.filters.map((f) => canonicalizeValueFilter(f, attribute, path)),
      };
    case 'not':
      return { op: 'not', filter: canonicalizeValueFilter(filter.filter, attribute, path) };
    case '[]':
      throw invalidPath(path, 'nested value filters are not supported');
    case 'pr':
      return { op: 'pr', attrPath: resolve(filter.attrPath) };
    default:
      return { op: filter.op, attrPath: resolve(filter.attrPath), compValue: filter.compValue };
  }
}

/** The path in canonical spelling, for messages and history. */
export function formatAttributePath(ref: AttributePath, filterText?: string): string {
  if (ref.kind === 'extension') return ref.schema;
  const prefix = ref.schema ? `${ref.schema}:` : '';
  const filterPart = filterText === undefined ? '' : `[${filterText}]`;
  const subPart = ref.subAttribute ? `.${ref.subAttribute.name}` : '';
  return `${prefix}${ref.attribute.name}${filterPart}${subPart}`;
}
