export const CORE_USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GENESYS_USER_URN = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SERVICE_PROVIDER_CONFIG_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** The extension schemas a Genesys user carries, each stored under its URN as a top-level key. */
export const EXTENSION_URNS = [ENTERPRISE_USER_URN, GENESYS_USER_URN] as const;
export type ExtensionUrn = (typeof EXTENSION_URNS)[number];

/** The most resources Genesys returns in one page; a larger `count` is answered 429. */
export const MAX_PAGE_SIZE = 25;
export const CORE_GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
