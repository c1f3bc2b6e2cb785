import { ENTERPRISE_USER_SCHEMA } from '@dirsync/scim';

/**
 * Which HR field alone feeds each SCIM path in the shipped mapping (mappings/genesys.jsonata). A custom mapping
 * can combine fields freely, so reports name an HR field only for the shipped one.
 */
const DEFAULT_MAPPING_HR_FIELDS: ReadonlyMap<string, string> = new Map([
  ['userName', 'workEmail'],
  ['title', 'title'],
  ['emails[type eq "work"]', 'workEmail'],
  ['phoneNumbers[type eq "work"]', 'phone'],
  ['roles', 'role'],
  [`${ENTERPRISE_USER_SCHEMA}:department`, 'departmentCode'],
  [`${ENTERPRISE_USER_SCHEMA}:division`, 'division'],
  [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`, 'externalId'],
  [`${ENTERPRISE_USER_SCHEMA}:dateHire`, 'hireDate'],
  [`${ENTERPRISE_USER_SCHEMA}:manager`, 'managerExternalId'],
]);

/** The HR field feeding a SCIM path in the shipped mapping, or undefined. */
export function defaultMappingHrField(field: string): string | undefined {
  return DEFAULT_MAPPING_HR_FIELDS.get(field);
}
