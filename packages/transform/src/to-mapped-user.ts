import { ENTERPRISE_USER_SCHEMA, type MappedUser } from './mapped-user.js';

/** Why a mapping's output is not a usable SCIM user; the text names attributes and types, never values. */
export class OutputProblem extends Error {}

type Json = string | number | boolean | Json[] | { [key: string]: Json };

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSONata lambdas and built-in function references are objects flagged like this. */
function isJsonataFunction(value: unknown): boolean {
  return isPlainObject(value) && (value._jsonata_lambda === true || value._jsonata_function === true);
}

/**
 * Copies a JSONata result into plain JSON: arrays lose JSONata's sequence flags, objects get an ordinary
 * prototype (built with `Object.fromEntries`, so a `__proto__` key stays a plain key), `null` and `undefined`
 * members are dropped. Functions (JSONata lambdas) cannot be sent anywhere and are refused.
 */
function toJson(value: unknown, path: string): Json | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new OutputProblem(`${path} is not a finite number`);
    return value;
  }
  if (typeof value === 'function' || isJsonataFunction(value)) {
    throw new OutputProblem(`${path} is a function`);
  }
  if (Array.isArray(value)) {
    const items: Json[] = [];
    value.forEach((item, i) => {
      const copy = toJson(item, `${path}[${i}]`);
      if (copy !== undefined) items.push(copy);
    });
    return items;
  }
  if (typeof value === 'object') {
    const entries: [string, Json][] = [];
    for (const key of Object.keys(value)) {
      const copy = toJson((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`);
      if (copy !== undefined) entries.push([key, copy]);
    }
    return Object.fromEntries(entries);
  }
  throw new OutputProblem(`${path} is ${typeOf(value)}`);
}

const STRING_ATTRIBUTES = ['externalId', 'displayName', 'title'];
const MULTI_VALUED = ['emails', 'phoneNumbers', 'roles'];
const ELEMENT_STRINGS = ['value', 'type', 'display'];
const ENTERPRISE_STRINGS = ['department', 'division', 'employeeNumber', 'dateHire'];

function expectType(
  owner: Record<string, unknown>,
  key: string,
  path: string,
  type: 'string' | 'boolean',
): void {
  const value = owner[key];
  if (value !== undefined && typeof value !== type) {
    throw new OutputProblem(`"${path}" must be a ${type}, not ${typeOf(value)}`);
  }
}

function checkWellKnown(user: Record<string, unknown>): void {
  for (const key of STRING_ATTRIBUTES) expectType(user, key, key, 'string');
  expectType(user, 'active', 'active', 'boolean');
  for (const key of MULTI_VALUED) {
    const list = user[key];
    if (list === undefined) continue;
    if (!Array.isArray(list))
      throw new OutputProblem(`"${key}" must be an array of objects, not ${typeOf(list)}`);
    list.forEach((element: unknown, i) => {
      const path = `${key}[${i}]`;
      if (!isPlainObject(element))
        throw new OutputProblem(`"${path}" must be an object, not ${typeOf(element)}`);
      for (const sub of ELEMENT_STRINGS) expectType(element, sub, `${path}.${sub}`, 'string');
      expectType(element, 'primary', `${path}.primary`, 'boolean');
    });
  }
  const enterprise = user[ENTERPRISE_USER_SCHEMA];
  if (enterprise === undefined) return;
  if (!isPlainObject(enterprise)) {
    throw new OutputProblem(`"${ENTERPRISE_USER_SCHEMA}" must be an object, not ${typeOf(enterprise)}`);
  }
  for (const key of ENTERPRISE_STRINGS)
    expectType(enterprise, key, `${ENTERPRISE_USER_SCHEMA}:${key}`, 'string');
  const manager = enterprise.manager;
  if (manager === undefined) return;
  const path = `${ENTERPRISE_USER_SCHEMA}:manager`;
  if (!isPlainObject(manager)) throw new OutputProblem(`"${path}" must be an object, not ${typeOf(manager)}`);
  expectType(manager, 'externalId', `${path}.externalId`, 'string');
  expectType(manager, 'value', `${path}.value`, 'string');
}

/**
 * Turns a mapping's non-empty result into a {@link MappedUser}, or throws {@link OutputProblem} saying what is
 * wrong: not an object, no non-empty string `userName`, a well-known attribute of the wrong JSON type.
 */
export function toMappedUser(result: unknown): MappedUser {
  if (!isPlainObject(result) || isJsonataFunction(result)) {
    const what = isJsonataFunction(result) ? 'a function' : typeOf(result);
    throw new OutputProblem(`the mapping must yield an object, not ${what}`);
  }
  const user = toJson(result, '') as Record<string, unknown>;
  const userName = user.userName;
  if (userName === undefined) throw new OutputProblem('the output has no "userName"');
  if (typeof userName !== 'string')
    throw new OutputProblem(`"userName" must be a string, not ${typeOf(userName)}`);
  if (userName.trim() === '') throw new OutputProblem('"userName" is empty');
  checkWellKnown(user);
  return user as MappedUser;
}
