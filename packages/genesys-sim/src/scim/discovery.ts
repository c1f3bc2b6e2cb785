import {
  CORE_GROUP_URN,
  CORE_USER_URN,
  ENTERPRISE_USER_URN,
  GENESYS_USER_URN,
  LIST_RESPONSE_URN,
  MAX_PAGE_SIZE,
  RESOURCE_TYPE_URN,
  SCHEMA_URN,
  SERVICE_PROVIDER_CONFIG_URN,
} from './urns.js';
import { type AttributeDef, USER_SCHEMAS } from './user-schema.js';

/** GET /ServiceProviderConfig: PATCH and ETags yes, bulk, sort and password change no, pages of 25. */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_URN],
    documentationUri: 'https://help.mypurecloud.com/articles/about-scim/',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'An access token from the client-credentials grant at /oauth/token',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function userResourceType(baseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_URN],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'Genesys Cloud user',
    schema: CORE_USER_URN,
    schemaExtensions: [
      { schema: ENTERPRISE_USER_URN, required: false },
      { schema: GENESYS_USER_URN, required: false },
    ],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
  };
}

/** The Group resource type: listed and patched (members), never created or deleted through SCIM. */
export function groupResourceType(baseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_URN],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Genesys Cloud group (membership only)',
    schema: CORE_GROUP_URN,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
  };
}

function describeAttribute(def: AttributeDef): Record<string, unknown> {
  return {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: def.description,
    required: def.required,
    caseExact: def.caseExact,
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
    ...(def.canonicalValues ? { canonicalValues: [...def.canonicalValues] } : {}),
    ...(def.subAttributes ? { subAttributes: def.subAttributes.map(describeAttribute) } : {}),
  };
}

export function userSchemas(baseUrl: string) {
  return USER_SCHEMAS.map((s) => ({
    schemas: [SCHEMA_URN],
    id: s.urn,
    name: s.name,
    description: s.description,
    attributes: s.attributes.filter((a) => !a.common).map(describeAttribute),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${s.urn}` },
  }));
}

export function listResponse(resources: unknown[]) {
  return {
    schemas: [LIST_RESPONSE_URN],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
