import { badRequest } from '../errors/scim-http-error.js';
import { CORE_USER_URN, ENTERPRISE_USER_URN, GENESYS_USER_URN } from './urns.js';
import {
  type AttributeDef,
  attributesOf,
  CORE_ATTRIBUTES,
  findAttribute,
  findExtensionUrn,
  GENESYS_ATTRIBUTES,
  MAX_ROUTING_ENTRIES,
} from './user-schema.js';
import type { ScimUser } from './user-types.js';

/** The user's attributes without the server-maintained `id`, `meta` and `schemas`. */
export type UserAttributes = Omit<ScimUser, 'id' | 'meta' | 'schemas'>;

export interface NormalizeContext {
  /**
   * `create`/`replace`: a POST or PUT body (read-only attributes are ignored, unknown ones refused).
   * `patch`: the document a PatchOp produced (a removed required attribute is a `mutability` error, and an
   * `other` e-mail is the client's and must equal `userName`).
   */
  mode: 'create' | 'replace' | 'patch';
  /** The organisation's role names; a role is matched by name, case-insensitively. */
  roles: readonly string[];
  /** The role every Genesys user has; added on create. */
  defaultRole: string;
  /** The user being written (to refuse a self-manager); undefined on create. */
  selfId?: string;
  /** A user by id, to check a manager reference and fill its display name and URI. */
  findUser(id: string): { displayName: string; location: string } | undefined;
}

export interface NormalizedUser {
  attributes: UserAttributes;
  /** Write-only: accepted, never stored in the resource, never returned. */
  password?: string;
}

type Json = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalidValue = (detail: string) => badRequest('invalidValue', detail);

const USER_NAME = /^[^\s@]+@[^\s@]+$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(text: string): boolean {
  const m = DATE_ONLY.exec(text);
  if (!m) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function normalizeScalar(def: AttributeDef, value: unknown, label: string): unknown {
  switch (def.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidValue(`'${label}' must be a boolean`);
      return value;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw invalidValue(`'${label}' must be a number`);
      return value;
    default: {
      if (typeof value !== 'string') throw invalidValue(`'${label}' must be a string`);
      if (def.canonicalValues) {
        const canonical = def.canonicalValues.find((c) => c.toLowerCase() === value.toLowerCase());
        if (!canonical) throw invalidValue(`'${label}' must be one of ${def.canonicalValues.join(', ')}`);
        return canonical;
      }
      if (def.dateOnly && !isCalendarDate(value)) throw invalidValue(`'${label}' must be a date, YYYY-MM-DD`);
      return value;
    }
  }
}

/** A complex value with its sub-attributes in schema order and spelling; read-only ones are dropped. */
function normalizeComplex(def: AttributeDef, value: unknown, label: string): Json {
  if (!isPlainObject(value)) throw invalidValue(`'${label}' must be an object`);
  const subs = def.subAttributes ?? [];
  const given = new Map<string, unknown>();
  for (const [key, v] of Object.entries(value)) {
    const sub = findAttribute(subs, key);
    if (!sub) throw invalidValue(`Unknown sub-attribute '${label}.${key}'`);
    if (sub.mutability === 'readOnly' || v === null || v === undefined) continue;
    given.set(sub.name, normalizeScalar(sub, v, `${label}.${sub.name}`));
  }
  const out: Json = {};
  for (const sub of subs) if (given.has(sub.name)) out[sub.name] = given.get(sub.name);
  return out;
}

function hasRequiredSubAttributes(def: AttributeDef, entry: Json): boolean {
  return (def.subAttributes ?? []).every((s) => !s.required || entry[s.name] !== undefined);
}

/**
 * `strict` (POST, PUT): a complex value left without its required sub-attribute is refused. Otherwise (the
 * result of a PATCH that removed `manager.value`) it is cleared.
 */
function normalizeAttribute(def: AttributeDef, value: unknown, label: string, strict: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    const list = Array.isArray(value) ? value : [value];
    const entries: Json[] = [];
    for (const item of list) {
      if (item === null || item === undefined) continue;
      const entry = normalizeComplex(def, item, label);
      if (!hasRequiredSubAttributes(def, entry)) {
        // A work address whose value was removed is a cleared address, not a malformed one.
        if (def.dropIncompleteEntries) continue;
        throw invalidValue(`Each '${label}' entry needs ${requiredNames(def)}`);
      }
      entries.push(entry);
    }
    return entries.length === 0 ? undefined : entries;
  }
  if (def.type === 'complex') {
    const entry = normalizeComplex(def, value, label);
    if (Object.keys(entry).length === 0 && !strict) return undefined;
    if (!hasRequiredSubAttributes(def, entry)) throw invalidValue(`'${label}' needs ${requiredNames(def)}`);
    return entry;
  }
  return normalizeScalar(def, value, label);
}

const requiredNames = (def: AttributeDef) =>
  (def.subAttributes ?? [])
    .filter((s) => s.required)
    .map((s) => `'${s.name}'`)
    .join(' and ');

/** Copies `source`'s attributes of one schema into `target`, normalized; returns the write-only password. */
function normalizeSchemaAttributes(
  source: Json,
  list: readonly AttributeDef[],
  target: Json,
  ctx: NormalizeContext,
  prefix: string,
): string | undefined {
  let password: string | undefined;
  const given = new Map<string, unknown>();
  for (const [key, value] of Object.entries(source)) {
    const def = findAttribute(list, key);
    if (!def) {
      const detail = `Unknown attribute '${prefix}${key}': Genesys has no such user attribute`;
      throw ctx.mode === 'patch' ? badRequest('invalidPath', detail) : invalidValue(detail);
    }
    if (def.mutability === 'readOnly') continue;
    if (def.mutability === 'writeOnly') {
      if (value !== null && value !== undefined) password = String(normalizeScalar(def, value, def.name));
      continue;
    }
    const normalized = normalizeAttribute(def, value, `${prefix}${def.name}`, ctx.mode !== 'patch');
    if (normalized !== undefined) given.set(def.name, normalized);
  }
  for (const def of list) if (given.has(def.name)) target[def.name] = given.get(def.name);
  return password;
}

/**
 * Validates a user document against the Genesys User schema and returns it in canonical form: attribute names
 * in schema spelling, read-only attributes dropped, the `other` e-mail derived from `userName`, roles resolved
 * to the organisation's names, the manager's display name and URI filled in. Throws a 400 `ScimHttpError`.
 * Uniqueness of `userName` needs every user and is checked by the store.
 */
export function normalizeUser(input: unknown, ctx: NormalizeContext): NormalizedUser {
  if (!isPlainObject(input)) throw badRequest('invalidSyntax', 'The body must be a JSON object');
  if (ctx.mode !== 'patch') checkSchemasMember(input);

  const core: Json = {};
  const extensions = new Map<string, Json>();
  const coreSource: Json = {};
  for (const [key, value] of Object.entries(input)) {
    const urn = findExtensionUrn(key);
    if (!urn) {
      coreSource[key] = value;
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!isPlainObject(value)) throw invalidValue(`'${urn}' must be an object`);
    const out: Json = {};
    normalizeSchemaAttributes(value, attributesOf(urn), out, ctx, `${urn}:`);
    extensions.set(urn, out);
  }
  const password = normalizeSchemaAttributes(coreSource, CORE_ATTRIBUTES, core, ctx, '');

  checkRequired(core, ctx);
  const userName = core.userName as string;
  if (!USER_NAME.test(userName)) throw invalidValue(`'userName' must be an e-mail address`);
  if ((core.displayName as string).trim() === '') throw invalidValue(`'displayName' must not be empty`);
  if (core.active === undefined) core.active = true;

  normalizeEmails(core, userName, ctx);
  checkOnePerType(core.phoneNumbers as Json[] | undefined, 'phoneNumbers');
  normalizeRoles(core, ctx);
  const enterprise = extensions.get(ENTERPRISE_USER_URN);
  if (enterprise) normalizeManager(enterprise, ctx);
  const genesys = extensions.get(GENESYS_USER_URN);
  if (genesys) checkRoutingLimits(genesys);

  const attributes: Json = {};
  for (const def of CORE_ATTRIBUTES) if (core[def.name] !== undefined) attributes[def.name] = core[def.name];
  for (const urn of [ENTERPRISE_USER_URN, GENESYS_USER_URN]) {
    const ext = extensions.get(urn);
    if (ext && Object.keys(ext).length > 0) attributes[urn] = ext;
  }
  return {
    attributes: attributes as unknown as UserAttributes,
    ...(password === undefined ? {} : { password }),
  };
}

function checkSchemasMember(input: Json): void {
  const key = Object.keys(input).find((k) => k.toLowerCase() === 'schemas');
  const schemas = key === undefined ? undefined : input[key];
  const ok =
    Array.isArray(schemas) &&
    schemas.some((s) => typeof s === 'string' && s.toLowerCase() === CORE_USER_URN.toLowerCase());
  if (!ok) throw badRequest('invalidSyntax', `'schemas' must be an array that includes '${CORE_USER_URN}'`);
  for (const s of schemas) {
    if (typeof s !== 'string') throw badRequest('invalidSyntax', `'schemas' must hold strings`);
    if (s.toLowerCase() !== CORE_USER_URN.toLowerCase() && !findExtensionUrn(s)) {
      throw invalidValue(`Unknown schema '${s}'`);
    }
  }
}

function checkRequired(core: Json, ctx: NormalizeContext): void {
  for (const name of ['userName', 'displayName']) {
    if (core[name] !== undefined) continue;
    if (ctx.mode === 'patch') throw badRequest('mutability', `'${name}' is required and cannot be removed`);
    throw invalidValue(`'${name}' is required`);
  }
}

/** `other` mirrors `userName` (read-only); at most one `work` address. */
function normalizeEmails(core: Json, userName: string, ctx: NormalizeContext): void {
  const given = (core.emails as Json[] | undefined) ?? [];
  const work: Json[] = [];
  for (const entry of given) {
    if (entry.type !== 'other') {
      work.push(entry);
      continue;
    }
    const value = String(entry.value);
    if (ctx.mode === 'patch' && value.toLowerCase() !== userName.toLowerCase()) {
      throw badRequest('mutability', `emails of type 'other' follow userName and are read-only`);
    }
  }
  checkOnePerType(work, 'emails');
  core.emails = [...work, { value: userName, type: 'other' }];
}

function checkOnePerType(entries: Json[] | undefined, label: string): void {
  const seen = new Set<unknown>();
  for (const entry of entries ?? []) {
    if (seen.has(entry.type))
      throw invalidValue(`'${label}' may hold one entry of type '${String(entry.type)}'`);
    seen.add(entry.type);
  }
}

function normalizeRoles(core: Json, ctx: NormalizeContext): void {
  const names: string[] = [];
  if (ctx.mode === 'create') names.push(ctx.defaultRole);
  for (const entry of (core.roles as Json[] | undefined) ?? []) {
    const wanted = String(entry.value).toLowerCase();
    const role = ctx.roles.find((r) => r.toLowerCase() === wanted);
    if (!role) throw invalidValue(`Unknown role '${String(entry.value)}'`);
    names.push(role);
  }
  const unique = [...new Set(names)];
  if (unique.length === 0) delete core.roles;
  else core.roles = unique.map((value) => ({ value }));
}

function normalizeManager(enterprise: Json, ctx: NormalizeContext): void {
  const manager = enterprise.manager as Json | undefined;
  if (!manager) return;
  const id = String(manager.value);
  if (id === ctx.selfId) throw invalidValue('A user cannot be their own manager');
  const found = ctx.findUser(id);
  if (!found) throw invalidValue(`'manager.value' '${id}' is not the id of an existing user`);
  enterprise.manager = { value: id, $ref: found.location, displayName: found.displayName };
}

function checkRoutingLimits(genesys: Json): void {
  for (const def of GENESYS_ATTRIBUTES) {
    const list = genesys[def.name];
    if (!Array.isArray(list)) continue;
    if (list.length > MAX_ROUTING_ENTRIES) {
      throw invalidValue(`'${def.name}' may hold at most ${MAX_ROUTING_ENTRIES} entries`);
    }
    for (const entry of list as Json[]) {
      const p = entry.proficiency;
      if (typeof p === 'number' && (p < 0 || p > 5)) {
        throw invalidValue(`'${def.name}.proficiency' must be between 0 and 5`);
      }
    }
  }
}
