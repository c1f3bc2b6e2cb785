import type { ScimUserGroup } from './group-types.js';

export interface ScimMeta {
  resourceType: 'User';
  created: string;
  lastModified: string;
  location: string;
  /** The ETag: an integer in double quotes, e.g. `"3"`. */
  version: string;
}

export interface ScimEmail {
  value: string;
  /** `work` is writable; `other` mirrors `userName` and is maintained by Genesys. */
  type: 'work' | 'other';
  primary?: boolean;
}

export interface ScimPhoneNumber {
  value: string;
  type: string;
  primary?: boolean;
}

export interface ScimRole {
  value: string;
}

export interface ScimManager {
  value: string;
  $ref?: string;
  displayName?: string;
}

export interface EnterpriseExtension {
  department?: string;
  division?: string;
  manager?: ScimManager;
  employeeNumber?: string;
  dateHire?: string;
}

export interface GenesysExtension {
  routingSkills?: Array<{ name: string; proficiency?: number }>;
  routingLanguages?: Array<{ name: string; proficiency?: number }>;
  externalIds?: Array<{ authority: string; value: string }>;
}

/** A Genesys user as the simulator stores and returns it (never with a password). */
export interface ScimUser {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  displayName: string;
  title?: string;
  active: boolean;
  emails?: ScimEmail[];
  phoneNumbers?: ScimPhoneNumber[];
  roles?: ScimRole[];
  /** Read-only: the groups the user belongs to (changed through /Groups). */
  groups?: ScimUserGroup[];
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'?: EnterpriseExtension;
  'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User'?: GenesysExtension;
  meta: ScimMeta;
}

/** One SCIM PatchOp operation as a client sends it. */
export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}
