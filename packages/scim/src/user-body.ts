import { SCIM_USER_SCHEMA, type ScimUser } from './schema.js';

/** Attributes the service provider owns: sending them on a create or replace is at best ignored. */
const READ_ONLY = new Set(['id', 'meta', 'groups']);

/**
 * A user as a POST/PUT body: read-only attributes (`id`, `meta`, `groups`) dropped, and `schemas` naming the
 * core schema and every extension the user carries.
 */
export function toWriteBody(user: ScimUser): ScimUser {
  const body: ScimUser = {};
  for (const [key, value] of Object.entries(user)) if (!READ_ONLY.has(key)) body[key] = value;
  const schemas = new Set<string>(Array.isArray(user.schemas) ? user.schemas : []);
  schemas.add(SCIM_USER_SCHEMA);
  for (const [key, value] of Object.entries(user)) {
    if (/^urn:/i.test(key) && value !== null && typeof value === 'object') schemas.add(key);
  }
  body.schemas = [...schemas];
  return body;
}
