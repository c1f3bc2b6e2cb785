export {
  type AttributeLocation,
  isOwnedPath,
  type OwnedPath,
  parseOwnedPath,
  parseOwnedPaths,
} from './attribute-path.js';
export { type AttributeMismatch, compareUser } from './compare-user.js';
export { diffUser } from './diff-user.js';
export { readVersion, toIfMatch } from './entity-tag.js';
export { OAuthError } from './oauth-error.js';
export { OAuthTokenProvider, type OAuthTokenProviderOptions } from './oauth-token-provider.js';
export type { DiffOptions } from './owned-attributes.js';
export { projectOwned } from './project-owned.js';
export { parseRetryAfter } from './retry-after.js';
export * from './schema.js';
export {
  DEFAULT_SCIM_BASE_PATH,
  type FindUsersQuery,
  type ListAllUsersOptions,
  MAX_PAGE_SIZE,
  ScimClient,
  type ScimClientOptions,
  type ScimRequestContext,
  type ScimRequestInfo,
  type ScimResponseInfo,
  type UserPage,
  type VersionedUser,
  type WriteResult,
} from './scim-client.js';
export { ScimError, type ScimErrorDetails, type ScimErrorKind } from './scim-error.js';
export { DEFAULT_RATE_LIMIT_DELAY_MS } from './scim-error-mapping.js';
export { eqFilter, escapeFilterValue, valuePath } from './scim-filter.js';
export type { ScimLogger } from './scim-logger.js';
export { isAbsent, sameValue } from './semantic-value.js';
