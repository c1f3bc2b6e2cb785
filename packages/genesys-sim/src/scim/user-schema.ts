import { CORE_USER_URN, ENTERPRISE_USER_URN, type ExtensionUrn, GENESYS_USER_URN } from './urns.js';

export type AttributeType = 'string' | 'boolean' | 'decimal' | 'reference' | 'dateTime' | 'complex';
export type Mutability = 'readWrite' | 'readOnly' | 'writeOnly';

/** One attribute of the Genesys User schema, in RFC 7643 section 7 terms. */
export interface AttributeDef {
  name: string;
  type: AttributeType;
  description: string;
  multiValued: boolean;
  required: boolean;
  mutability: Mutability;
  returned: 'always' | 'default' | 'never';
  caseExact: boolean;
  uniqueness: 'none' | 'server';
  canonicalValues?: readonly string[];
  subAttributes?: readonly AttributeDef[];
  /** A `YYYY-MM-DD` calendar date held in a string (Genesys's `dateHire`). */
  dateOnly?: boolean;
  /** Multi-valued entries without their required sub-attribute are dropped (a cleared value), not refused. */
  dropIncompleteEntries?: boolean;
  /** RFC 7643 common attributes (`id`, `externalId`, `meta`, `schemas`): not listed in the /Schemas document. */
  common?: boolean;
}

type AttrOptions = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>;

function attr(
  name: string,
  type: AttributeType,
  description: string,
  options: AttrOptions = {},
): AttributeDef {
  return {
    name,
    type,
    description,
    multiValued: false,
    required: false,
    mutability: 'readWrite',
    returned: 'default',
    caseExact: false,
    uniqueness: 'none',
    ...options,
  };
}

export const EMAIL_TYPES = ['work', 'other'] as const;

const routingEntry = (what: string) => [
  attr('name', 'string', `The ${what} name.`, { required: true }),
  attr('proficiency', 'decimal', `Proficiency in the ${what}, 0 to 5.`),
];

export const CORE_ATTRIBUTES: readonly AttributeDef[] = [
  attr('schemas', 'reference', 'Schemas the resource conforms to.', {
    multiValued: true,
    mutability: 'readOnly',
    returned: 'always',
    common: true,
  }),
  attr('id', 'string', 'The Genesys user id (a UUID).', {
    mutability: 'readOnly',
    returned: 'always',
    caseExact: true,
    uniqueness: 'server',
    common: true,
  }),
  attr('externalId', 'string', 'The provisioning client’s id for the user.', {
    caseExact: true,
    common: true,
  }),
  attr('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    returned: 'always',
    common: true,
    subAttributes: ['resourceType', 'created', 'lastModified', 'location', 'version'].map((name) =>
      attr(name, 'string', `meta.${name}`, { mutability: 'readOnly' }),
    ),
  }),
  attr('userName', 'string', 'The user’s Genesys e-mail address; unique.', {
    required: true,
    returned: 'always',
    uniqueness: 'server',
  }),
  attr('displayName', 'string', 'The user’s full name.', { required: true }),
  attr('title', 'string', 'The user’s job title.'),
  attr('active', 'boolean', 'Whether the user can sign in.', { returned: 'always' }),
  attr('password', 'string', 'A new password; never returned.', {
    mutability: 'writeOnly',
    returned: 'never',
  }),
  attr('emails', 'complex', 'E-mail addresses. `other` mirrors userName and is read-only.', {
    multiValued: true,
    dropIncompleteEntries: true,
    subAttributes: [
      attr('value', 'string', 'The address.', { required: true }),
      attr('type', 'string', 'work or other.', { required: true, canonicalValues: EMAIL_TYPES }),
      attr('primary', 'boolean', 'Whether this is the primary address.'),
    ],
  }),
  attr('phoneNumbers', 'complex', 'Phone numbers in E.164 or as tel URIs.', {
    multiValued: true,
    dropIncompleteEntries: true,
    subAttributes: [
      attr('value', 'string', 'The number.', { required: true }),
      // The accepted types are the org's (behavior.phoneTypes), checked by the Genesys rules.
      attr('type', 'string', 'The kind of number: work, work2-4, home, mobile, other, …', { required: true }),
      attr('primary', 'boolean', 'Whether this is the primary number.'),
    ],
  }),
  attr('roles', 'complex', 'Genesys roles, matched by role name.', {
    multiValued: true,
    subAttributes: [attr('value', 'string', 'The role name.', { required: true })],
  }),
  attr('groups', 'complex', 'Group memberships; changed only through /Groups.', {
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attr('value', 'string', 'The group id.', { mutability: 'readOnly' }),
      attr('$ref', 'reference', 'The group URI.', { mutability: 'readOnly' }),
      attr('display', 'string', 'The group name.', { mutability: 'readOnly' }),
    ],
  }),
];

export const ENTERPRISE_ATTRIBUTES: readonly AttributeDef[] = [
  attr('department', 'string', 'The department name.'),
  attr('division', 'string', 'The Genesys division name, e.g. Home.'),
  attr('manager', 'complex', 'The user’s manager.', {
    subAttributes: [
      attr('value', 'string', 'The manager’s Genesys user id.', { required: true, caseExact: true }),
      attr('$ref', 'reference', 'The manager’s URI.', { mutability: 'readOnly' }),
      attr('displayName', 'string', 'The manager’s display name.', { mutability: 'readOnly' }),
    ],
  }),
  attr('employeeNumber', 'string', 'The HR employee number.'),
  attr('dateHire', 'string', 'The hire date, YYYY-MM-DD.', { dateOnly: true }),
];

export const GENESYS_ATTRIBUTES: readonly AttributeDef[] = [
  attr('routingSkills', 'complex', 'ACD skills, at most 50.', {
    multiValued: true,
    subAttributes: routingEntry('skill'),
  }),
  attr('routingLanguages', 'complex', 'ACD languages, at most 50.', {
    multiValued: true,
    subAttributes: routingEntry('language'),
  }),
  attr('externalIds', 'complex', 'Identifiers of the user in other systems.', {
    multiValued: true,
    subAttributes: [
      attr('authority', 'string', 'The system that issued the id.', { required: true }),
      attr('value', 'string', 'The id.', { required: true }),
    ],
  }),
];

export interface SchemaDef {
  urn: string;
  name: string;
  description: string;
  attributes: readonly AttributeDef[];
}

export const USER_SCHEMAS: readonly SchemaDef[] = [
  { urn: CORE_USER_URN, name: 'User', description: 'Genesys Cloud user', attributes: CORE_ATTRIBUTES },
  {
    urn: ENTERPRISE_USER_URN,
    name: 'EnterpriseUser',
    description: 'Enterprise user extension',
    attributes: ENTERPRISE_ATTRIBUTES,
  },
  {
    urn: GENESYS_USER_URN,
    name: 'GenesysUser',
    description: 'Genesys Cloud user extension',
    attributes: GENESYS_ATTRIBUTES,
  },
];

/** Attributes a routing list may hold at most (Genesys's limit). */
export const MAX_ROUTING_ENTRIES = 50;

const lower = (s: string) => s.toLowerCase();

/** The canonical extension URN for `urn`, matched case-insensitively; undefined when not an extension. */
export function findExtensionUrn(urn: string): ExtensionUrn | undefined {
  if (lower(urn) === lower(ENTERPRISE_USER_URN)) return ENTERPRISE_USER_URN;
  if (lower(urn) === lower(GENESYS_USER_URN)) return GENESYS_USER_URN;
  return undefined;
}

/** The attributes of `schema` (core when undefined). */
export function attributesOf(schema: ExtensionUrn | undefined): readonly AttributeDef[] {
  if (schema === ENTERPRISE_USER_URN) return ENTERPRISE_ATTRIBUTES;
  if (schema === GENESYS_USER_URN) return GENESYS_ATTRIBUTES;
  return CORE_ATTRIBUTES;
}

/** Attribute names are case-insensitive in SCIM (RFC 7643 section 2.1). */
export function findAttribute(list: readonly AttributeDef[], name: string): AttributeDef | undefined {
  const wanted = lower(name);
  return list.find((a) => lower(a.name) === wanted);
}
