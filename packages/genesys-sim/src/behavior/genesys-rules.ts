import { badRequest, ScimHttpError } from '../errors/scim-http-error.js';
import type { UserAttributes } from '../scim/normalize-user.js';
import { ENTERPRISE_USER_URN, GENESYS_USER_URN } from '../scim/urns.js';
import { type BehaviorSettings, findName } from './behavior-settings.js';

export interface RulesContext {
  behavior: Readonly<BehaviorSettings>;
  mode: 'create' | 'replace' | 'patch';
  /** The user before this write; undefined on create. */
  previous?: UserAttributes;
}

const DIVISION_PATH = `${ENTERPRISE_USER_URN}:division`;
/** `+` and 8 to 15 digits (E.164 allows at most 15; shorter national numbers are not valid here). */
const E164 = /^\+\d{8,15}$/;
/** RFC 3966 global number with optional parameters, e.g. `tel:+14155550132;ext=123`. */
const TEL_URI = /^tel:\+\d{8,15}(;[a-z0-9-]+(=[A-Za-z0-9\-.!~*'()[\]/:&+$]+)?)*$/i;

const invalidValue = (path: string, why: string) =>
  badRequest('invalidValue', `Invalid value for '${path}': ${why}`);

/**
 * What Genesys enforces beyond the schema, each rule behind a behaviour switch: divisions that must exist and
 * cannot be removed (a new user lands in the home division), E.164 phones of the org's types, the work e-mail
 * stored without `primary`, routing skills and languages from the org's catalogues. Changes `attributes` in
 * place; throws a 400 `ScimHttpError` whose detail names the attribute path.
 */
export function applyGenesysRules(attributes: UserAttributes, ctx: RulesContext): void {
  applyDivision(attributes, ctx);
  applyPhones(attributes, ctx.behavior);
  if (ctx.behavior.dropWorkEmailPrimary) applyEmailPrimary(attributes);
  applyRouting(attributes, ctx.behavior);
}

export const divisionOf = (attributes: UserAttributes | undefined): string | undefined =>
  attributes?.[ENTERPRISE_USER_URN]?.division;

function applyDivision(attributes: UserAttributes, ctx: RulesContext): void {
  const { behavior } = ctx;
  const given = divisionOf(attributes);
  if (given !== undefined) {
    const known = findName(behavior.divisions, given);
    if (known === undefined && behavior.refuseUnknownDivisions) {
      throw invalidValue(DIVISION_PATH, `no division named '${given}' exists`);
    }
    setDivision(attributes, known ?? given);
    return;
  }
  const previous = divisionOf(ctx.previous);
  if (ctx.mode === 'create') {
    if (behavior.homeDivision !== null) setDivision(attributes, behavior.homeDivision);
  } else if (previous !== undefined && behavior.refuseDivisionRemoval) {
    // A PUT without a division keeps it; a PATCH that removes it is refused.
    if (ctx.mode === 'replace') setDivision(attributes, previous);
    else throw badRequest('mutability', `'${DIVISION_PATH}' cannot be removed: every user has a division`);
  }
}

function setDivision(attributes: UserAttributes, division: string): void {
  const enterprise = attributes[ENTERPRISE_USER_URN] ?? {};
  enterprise.division = division;
  attributes[ENTERPRISE_USER_URN] = enterprise;
}

function applyPhones(attributes: UserAttributes, behavior: Readonly<BehaviorSettings>): void {
  const seen = new Set<string>();
  for (const phone of attributes.phoneNumbers ?? []) {
    const type = findName(behavior.phoneTypes, phone.type);
    if (type === undefined) {
      throw invalidValue(
        `phoneNumbers[type eq "${phone.type}"].type`,
        `the type must be one of ${behavior.phoneTypes.join(', ')}`,
      );
    }
    if (seen.has(type)) throw invalidValue('phoneNumbers', `one entry of type '${type}' at most`);
    seen.add(type);
    phone.type = type;
    if (behavior.requireE164Phones && !E164.test(phone.value) && !TEL_URI.test(phone.value)) {
      throw invalidValue(
        `phoneNumbers[type eq "${type}"].value`,
        'a number must be E.164 (+ and 8 to 15 digits) or a tel URI such as tel:+14155550132;ext=123',
      );
    }
  }
}

function applyEmailPrimary(attributes: UserAttributes): void {
  for (const email of attributes.emails ?? []) {
    if (email.type === 'other') email.primary = true;
    else delete email.primary;
  }
}

function applyRouting(attributes: UserAttributes, behavior: Readonly<BehaviorSettings>): void {
  const genesys = attributes[GENESYS_USER_URN];
  if (!genesys) return;
  const lists = [
    ['routingSkills', genesys.routingSkills, behavior.routingSkills, 'skill'],
    ['routingLanguages', genesys.routingLanguages, behavior.routingLanguages, 'language'],
  ] as const;
  for (const [name, entries, catalogue, what] of lists) {
    for (const entry of entries ?? []) {
      // Genesys matches skill and language names exactly.
      if (!catalogue.includes(entry.name)) {
        throw invalidValue(`${GENESYS_USER_URN}:${name}`, `no ${what} named '${entry.name}' exists`);
      }
    }
  }
}

/** Whether the OAuth client cannot see this user (hidden forbidden divisions). */
export function isHiddenFromClient(behavior: Readonly<BehaviorSettings>, user: UserAttributes): boolean {
  if (!behavior.hideForbiddenDivisions) return false;
  const division = divisionOf(user);
  return division !== undefined && findName(behavior.forbiddenDivisions, division) !== undefined;
}

/**
 * The OAuth client may not write users in a forbidden division, nor move or create one into it: 403, as
 * Genesys answers a write without the division's grant.
 */
export function checkDivisionGrant(
  behavior: Readonly<BehaviorSettings>,
  before: UserAttributes | undefined,
  after: UserAttributes | undefined,
): void {
  for (const division of [divisionOf(before), divisionOf(after)]) {
    if (division !== undefined && findName(behavior.forbiddenDivisions, division) !== undefined) {
      throw new ScimHttpError(
        403,
        `The OAuth client has no permission to change users in division '${division}'`,
      );
    }
  }
}

/**
 * `groups` on a user is read-only (membership changes go through /Groups). A POST or PUT may repeat the current
 * membership (a client sending back what it read) but not change it.
 */
export function checkGroupsNotWritten(body: unknown, currentGroupIds: readonly string[]): void {
  if (typeof body !== 'object' || body === null) return;
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'groups');
  const given = key === undefined ? undefined : (body as Record<string, unknown>)[key];
  if (given === undefined || given === null) return;
  const ids = Array.isArray(given)
    ? given.map((g) => (typeof g === 'object' && g !== null ? (g as { value?: unknown }).value : g))
    : [given];
  const same =
    ids.length === currentGroupIds.length && ids.every((id) => currentGroupIds.includes(String(id)));
  if (!same) {
    throw badRequest(
      'mutability',
      `'groups' is read-only on a user: change membership with PATCH /Groups/{id}`,
    );
  }
}
