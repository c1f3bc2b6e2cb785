/**
 * SCIM 2.0 user shapes as Genesys Cloud speaks them (../shared/docs/genesys-scim.md): no `name`, no
 * `customFields`; a full name goes in `displayName`; department, division, manager, employeeNumber and dateHire
 * live in the enterprise extension.
 */

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GENESYS_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json';

export interface ScimMultiValue {
  value?: string;
  type?: string;
  primary?: boolean;
  display?: string;
  $ref?: string;
  [key: string]: unknown;
}

export interface ScimMeta {
  resourceType?: string;
  created?: string;
  lastModified?: string;
  location?: string;
  /** The entity tag, e.g. `"42"` (Genesys) or `W/"abc"`; sent back as `If-Match`. */
  version?: string;
}

export interface EnterpriseUserExtension {
  department?: string;
  division?: string;
  employeeNumber?: string;
  /** Genesys only: hire date, YYYY-MM-DD. */
  dateHire?: string;
  /**
   * In a resource from the target: `{ value: <manager's SCIM id> }`. In a mapping's output: `{ externalId: <the
   * manager's HR id> }`, which the sync resolves to the manager's SCIM id before diffing.
   */
  manager?: { value?: string; externalId?: string; displayName?: string; $ref?: string };
  [key: string]: unknown;
}

/** A SCIM user resource (or the desired state of one, as a mapping produces it). */
export interface ScimUser {
  schemas?: string[];
  id?: string;
  externalId?: string;
  userName?: string;
  displayName?: string;
  title?: string;
  active?: boolean;
  emails?: ScimMultiValue[];
  phoneNumbers?: ScimMultiValue[];
  roles?: ScimMultiValue[];
  groups?: ScimMultiValue[];
  meta?: ScimMeta;
  [ENTERPRISE_USER_SCHEMA]?: EnterpriseUserExtension;
  [key: string]: unknown;
}

/** One RFC 7644 §3.5.2 PATCH operation. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

export interface PatchRequest {
  schemas: [typeof PATCH_OP_SCHEMA];
  Operations: PatchOperation[];
}

export interface ListResponse<T = ScimUser> {
  schemas: string[];
  totalResults: number;
  startIndex?: number;
  itemsPerPage?: number;
  Resources?: T[];
}

/** The SCIM error body (RFC 7644 §3.12); Genesys sends `status` as a string. */
export interface ScimErrorBody {
  schemas?: string[];
  status?: string | number;
  scimType?: string;
  detail?: string;
}
