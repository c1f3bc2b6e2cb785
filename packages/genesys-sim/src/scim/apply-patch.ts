import {
  patchBodyValidation,
  ScimError,
  type ScimPatch,
  type ScimPatchOperation,
  type ScimResource,
  scimPatch,
} from 'scim-patch';
import { filter as compileFilter, type Filter, stringify } from 'scim2-parse-filter';
import { badRequest, ScimHttpError } from '../errors/scim-http-error.js';
import { type AttributePath, parseAttributePath } from './attribute-path.js';
import { PATCH_OP_URN } from './urns.js';
import { findAttribute, findExtensionUrn } from './user-schema.js';
import type { PatchOperation, ScimUser } from './user-types.js';

type Json = Record<string, unknown>;
type OpName = 'add' | 'replace' | 'remove';

interface ResolvedOperation {
  op: OpName;
  ref: AttributePath;
  value: unknown;
}

const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a PatchOp body: `schemas` must name the PatchOp message and `Operations` must be a non-empty array.
 * Operation names are lower-cased (scim-patch validates `ADD` but only applies `add`/`Add`).
 */
export function readPatchBody(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) throw badRequest('invalidSyntax', 'The body must be a SCIM PatchOp object');
  // scim-patch tests `schemas.includes(…)`, which a plain string passes too.
  if (!Array.isArray(body.schemas) || !body.schemas.includes(PATCH_OP_URN)) {
    throw badRequest('invalidSyntax', `The body must be a PatchOp: 'schemas' must include '${PATCH_OP_URN}'`);
  }
  if (!Array.isArray(body.Operations) || body.Operations.length === 0) {
    throw badRequest('invalidSyntax', `A PatchOp needs a non-empty 'Operations' array`);
  }
  const operations = body.Operations.map((raw, index): PatchOperation => {
    if (!isPlainObject(raw) || typeof raw.op !== 'string') {
      throw badRequest('invalidSyntax', `Operations[${index}] must be an object with an 'op'`);
    }
    const op: PatchOperation = { ...raw, op: raw.op.toLowerCase() };
    if (op.op === 'replace' && !('value' in raw)) {
      throw badRequest('invalidSyntax', `Operations[${index}]: replace needs a 'value'`);
    }
    return op;
  });
  try {
    patchBodyValidation({ schemas: [PATCH_OP_URN], Operations: operations } as unknown as ScimPatch);
  } catch (error) {
    throw fromLibraryError(error);
  }
  return operations;
}

/**
 * Applies PatchOp operations to a copy of `current` and returns the raw result, still to be normalized. Paths
 * are resolved against the Genesys schema first (unknown → `invalidPath`, read-only → `mutability`); each one
 * is then applied with scim-patch on a scratch document that holds only the target attribute, which sidesteps
 * the library's quirks listed in the README of this app.
 */
export function applyPatchOperations(current: ScimUser, operations: readonly PatchOperation[]): Json {
  const doc = structuredClone(current) as unknown as Json;
  // The `other` address is Genesys's copy of userName: the client never sees it as its own to edit.
  if (Array.isArray(doc.emails)) {
    const work = (doc.emails as Json[]).filter((e) => e.type !== 'other');
    if (work.length === 0) delete doc.emails;
    else doc.emails = work;
  }
  for (const operation of operations) {
    for (const resolved of resolveOperation(operation)) {
      checkMutability(resolved);
      applyOne(doc, resolved);
    }
  }
  return doc;
}

/** One client operation as operations on single attributes: path-less value objects are spread by key. */
function resolveOperation(operation: PatchOperation): ResolvedOperation[] {
  const op = operation.op as OpName;
  const value = operation.value;
  if (operation.path === undefined || operation.path === '') return spreadValueObject(op, value, '');

  const ref = parseAttributePath(operation.path);
  if (ref.kind === 'extension') {
    if (op === 'remove') return [{ op, ref, value }];
    return spreadValueObject(op, value, `${ref.schema}:`);
  }
  // `phoneNumbers[type eq "mobile"]` with an object: scim-patch silently does nothing when no entry matches
  // (add) or fails (replace); per sub-attribute it creates the entry from the filter, as RFC 7644 expects.
  if (ref.filter && !ref.subAttribute && op !== 'remove' && isPlainObject(value)) {
    return Object.entries(value).map(([key, subValue]) => {
      const subAttribute = findAttribute(ref.attribute.subAttributes ?? [], key);
      if (!subAttribute) {
        throw badRequest('invalidPath', `Unknown sub-attribute '${ref.attribute.name}.${key}' in the value`);
      }
      return { op, ref: { ...ref, subAttribute }, value: subValue };
    });
  }
  return [{ op, ref, value }];
}

/** `{ "title": "x", "urn:…:User": { "department": "y" } }` → one operation per attribute. */
function spreadValueObject(op: OpName, value: unknown, prefix: string): ResolvedOperation[] {
  if (!isPlainObject(value)) {
    throw badRequest('invalidSyntax', `Without a path, '${op}' needs a value object of attributes`);
  }
  const out: ResolvedOperation[] = [];
  for (const [key, attributeValue] of Object.entries(value)) {
    const urn = prefix === '' ? findExtensionUrn(key) : undefined;
    if (urn) {
      if (!isPlainObject(attributeValue)) throw badRequest('invalidValue', `'${urn}' must be an object`);
      out.push(...spreadValueObject(op, attributeValue, `${urn}:`));
      continue;
    }
    out.push({ op, ref: parseAttributePath(`${prefix}${key}`), value: attributeValue });
  }
  return out;
}

function filterMentionsOther(filter: Filter | undefined): boolean {
  if (!filter) return false;
  switch (filter.op) {
    case 'and':
    case 'or':
      return filter.filters.some(filterMentionsOther);
    case 'not':
      return filterMentionsOther(filter.filter);
    case 'eq':
      return filter.attrPath === 'type' && String(filter.compValue).toLowerCase() === 'other';
    default:
      return false;
  }
}

function checkMutability({ op, ref }: ResolvedOperation): void {
  if (ref.kind === 'extension') return;
  const name = ref.attribute.name;
  if (ref.attribute.mutability === 'readOnly') throw badRequest('mutability', `'${name}' is read-only`);
  if (ref.subAttribute?.mutability === 'readOnly') {
    throw badRequest('mutability', `'${name}.${ref.subAttribute.name}' is read-only`);
  }
  if (name === 'emails' && filterMentionsOther(ref.filter)) {
    throw badRequest('mutability', `emails of type 'other' follow userName and are read-only`);
  }
  if (op === 'remove' && ref.attribute.required && !ref.subAttribute) {
    throw badRequest('mutability', `'${name}' is required and cannot be removed`);
  }
}

/**
 * Characters scim-patch mishandles in a filter value: it splits paths at the last ':' (looking for a schema
 * URN), and its filter parser doubles backslashes. Both are swapped for private-use stand-ins, in the filter
 * and in the target attribute, for the duration of one operation.
 */
const STAND_INS: ReadonlyArray<[string, string]> = [
  [':', '\uE000'],
  ['\\', '\uE002'],
];

function mapStrings(value: unknown, swap: (s: string) => string): unknown {
  if (typeof value === 'string') return swap(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, swap));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, swap)]));
  }
  return value;
}

const shield = (s: string) => STAND_INS.reduce((acc, [real, stand]) => acc.split(real).join(stand), s);
const unshield = (s: string) => STAND_INS.reduce((acc, [real, stand]) => acc.split(stand).join(real), s);

function shieldFilter(filter: Filter): Filter {
  switch (filter.op) {
    case 'and':
    case 'or':
      return { op: filter.op, filters: filter.filters.map(shieldFilter) };
    case 'not':
      return { op: 'not', filter: shieldFilter(filter.filter) };
    case '[]':
    case 'pr':
      return filter;
    default:
      return typeof filter.compValue === 'string'
        ? { ...filter, compValue: shield(filter.compValue) }
        : filter;
  }
}

function applyOne(doc: Json, { op, ref, value }: ResolvedOperation): void {
  if (ref.kind === 'extension') {
    delete doc[ref.schema];
    return;
  }
  let container = doc;
  if (ref.schema) {
    const existing = doc[ref.schema];
    if (!isPlainObject(existing)) {
      if (op === 'remove') return;
      doc[ref.schema] = {};
    }
    container = doc[ref.schema] as Json;
  }

  const name = ref.attribute.name;
  if (op === 'remove' && ref.filter) {
    // Removing what is not there is a no-op (scim-patch throws when the attribute or the match is missing).
    const list = container[name];
    const matches = compileFilter(ref.filter);
    if (!Array.isArray(list) || !list.some((entry) => matches(entry))) return;
  }

  const filterText = ref.filter ? stringify(shieldFilter(ref.filter)) : undefined;
  const target = ref.filter ? mapStrings(container[name], shield) : container[name];
  const scratch: Json = { schemas: [], meta: {}, [name]: target };
  const path = `${name}${filterText === undefined ? '' : `[${filterText}]`}${ref.subAttribute ? `.${ref.subAttribute.name}` : ''}`;
  try {
    scimPatch(scratch as unknown as ScimResource, [{ op, path, value } as ScimPatchOperation], {
      mutateDocument: true,
      treatMissingAsAdd: true,
    });
  } catch (error) {
    throw fromLibraryError(error);
  }
  const result = ref.filter ? mapStrings(scratch[name], unshield) : scratch[name];
  if (result === undefined) delete container[name];
  else container[name] = result;
  if (ref.schema && Object.keys(container).length === 0) delete doc[ref.schema];
}

function fromLibraryError(error: unknown): ScimHttpError {
  if (error instanceof ScimHttpError) return error;
  if (error instanceof ScimError) {
    const scimType = error.scimCode === 'noTarget' ? 'noTarget' : 'invalidSyntax';
    return new ScimHttpError(400, error.message, { scimType, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ScimHttpError(400, `Invalid patch: ${message}`, { scimType: 'invalidSyntax', cause: error });
}
