import { ENTERPRISE_USER_SCHEMA, type ScimUser, valuePath } from '@dirsync/scim';
import { normalizeUserPhones } from '@dirsync/transform';

/** A value of the mapped user that can never be valid: left out, not cleared in the target, reported. */
export interface UnusableValue {
  /** The owned field (canonical SCIM path) left alone. */
  field: string;
  value: unknown;
  detail: string;
}

export const DIVISION_FIELD = `${ENTERPRISE_USER_SCHEMA}:division`;

/**
 * Puts every `phoneNumbers[].value` in the form Genesys accepts (E.164, a tel URI with an extension), reading
 * numbers without a country code in `defaultRegion`. An unusable phone, or a division that is not a string (a
 * mapping that yields an object), is left out and listed: no request is spent on it.
 */
export function cleanDesiredUser(
  desired: ScimUser,
  defaultRegion: string | undefined,
): { user: ScimUser; unusable: UnusableValue[] } {
  const unusable: UnusableValue[] = [];
  const { user, refused } = normalizeUserPhones(desired, { defaultRegion });
  for (const phone of refused) {
    unusable.push({
      field: phone.type === undefined ? 'phoneNumbers' : valuePath('phoneNumbers', 'type', phone.type),
      value: phone.value,
      detail: `the phone number ${phone.reason}; it was not sent and the target's number was left as it is`,
    });
  }
  const extension = user[ENTERPRISE_USER_SCHEMA];
  const division: unknown = extension?.division;
  if (extension && division !== undefined && division !== null && typeof division !== 'string') {
    const { division: _dropped, ...rest } = extension;
    unusable.push({
      field: DIVISION_FIELD,
      value: division,
      detail: 'the mapping yields a division that is not a name (a string); it was not sent',
    });
    return { user: { ...user, [ENTERPRISE_USER_SCHEMA]: rest }, unusable };
  }
  return { user, unusable };
}
