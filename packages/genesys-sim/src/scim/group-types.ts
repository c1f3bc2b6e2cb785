export interface ScimGroupMember {
  /** The member's Genesys user id. */
  value: string;
  display?: string;
  $ref?: string;
}

/** A Genesys group as the simulator returns it. */
export interface ScimGroup {
  schemas: string[];
  id: string;
  displayName: string;
  members: ScimGroupMember[];
  meta: {
    resourceType: 'Group';
    created: string;
    lastModified: string;
    location: string;
    /** The ETag: an integer in double quotes. */
    version: string;
  };
}

/** A group as a user shows it in its read-only `groups`. */
export interface ScimUserGroup {
  value: string;
  display: string;
  $ref?: string;
}
