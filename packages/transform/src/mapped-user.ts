/** The enterprise extension's schema URN (RFC 7643 §4.3); its attributes are owned as `<URN>:<attribute>`. */
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** One element of a multi-valued attribute (`emails`, `phoneNumbers`, `roles`). */
export interface MappedMultiValue {
  value?: string;
  type?: string;
  primary?: boolean;
  display?: string;
  [key: string]: unknown;
}

/**
 * The enterprise extension as a mapping writes it. `manager` is `{ externalId: <the manager's HR id> }`: a mapping
 * cannot know Genesys ids, so the sync resolves it to `{ value: <the manager's SCIM id> }` before diffing.
 */
export interface MappedEnterpriseExtension {
  department?: string;
  division?: string;
  employeeNumber?: string;
  dateHire?: string;
  manager?: { externalId?: string; value?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * A SCIM user as a mapping yields it: plain JSON (no JSONata sequences or functions), `null`s dropped (absent and
 * `null` both mean "clear it" for an owned attribute), a non-empty `userName`, and the well-known attributes
 * checked for their JSON type. Structurally a `ScimUser` of `@dirsync/scim`.
 */
export interface MappedUser {
  userName: string;
  externalId?: string;
  displayName?: string;
  title?: string;
  active?: boolean;
  emails?: MappedMultiValue[];
  phoneNumbers?: MappedMultiValue[];
  roles?: MappedMultiValue[];
  [ENTERPRISE_USER_SCHEMA]?: MappedEnterpriseExtension;
  [key: string]: unknown;
}
