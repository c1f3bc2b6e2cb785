// What other packages use, and the types reachable from those signatures (so declarations stay portable);
// helpers stay internal (this package's tests import their modules directly).
export { type AttributeLocation, isOwnedPath, type OwnedPath, parseOwnedPath } from './attribute-path.js';
export { type AttributeMismatch, compareUser } from './compare-user.js';
export { diffUser } from './diff-user.js';
export { OAuthError } from './oauth-error.js';
export type { DiffOptions } from './owned-attributes.js';
export { projectOwned } from './project-owned.js';
export {
  ENTERPRISE_USER_SCHEMA,
  type EnterpriseUserExtension,
  GENESYS_USER_SCHEMA,
  type ListResponse,
  PATCH_OP_SCHEMA,
  type PatchOperation,
  type ScimMeta,
  type ScimMultiValue,
  type ScimUser,
} from './schema.js';
export {
  type FindUsersQuery,
  type GroupMemberChange,
  type ListAllUsersOptions,
  ScimClient,
  type ScimClientOptions,
  type ScimGroupRef,
  type ScimRequestContext,
  type ScimRequestInfo,
  type ScimResponseInfo,
  type UserPage,
  type VersionedUser,
  type WriteResult,
} from './scim-client.js';
export { ScimError, type ScimErrorDetails, type ScimErrorKind } from './scim-error.js';
export { valuePath } from './scim-filter.js';
export type { ScimLogger } from './scim-logger.js';
