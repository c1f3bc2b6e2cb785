import { type NormalizePhoneOptions, normalizePhone, type PhoneRefusalCode } from './normalize-phone.js';

/** A phone left out of a user because it cannot be used. */
export interface RefusedPhone {
  /** The element's `type` (`work`, `mobile`…), when it has a string one. */
  type: string | undefined;
  /** The value as the mapping gave it. */
  value: unknown;
  code: PhoneRefusalCode | 'not_a_list';
  reason: string;
}

/**
 * Normalises every `phoneNumbers[].value` of a SCIM user (see {@link normalizePhone}). Unusable phones are left
 * out of the returned copy and listed in `refused` with their `type`; other attributes and the input are
 * untouched. A `phoneNumbers` that is not a list is left out whole and reported once.
 */
export function normalizeUserPhones<T extends { phoneNumbers?: unknown }>(
  user: T,
  options: NormalizePhoneOptions = {},
): { user: T; refused: RefusedPhone[] } {
  if (user.phoneNumbers === undefined) return { user, refused: [] };
  const refused: RefusedPhone[] = [];
  if (!Array.isArray(user.phoneNumbers)) {
    const { phoneNumbers, ...rest } = user;
    refused.push({
      type: undefined,
      value: phoneNumbers,
      code: 'not_a_list',
      reason: 'phoneNumbers is not a list',
    });
    return { user: rest as T, refused };
  }
  const kept: unknown[] = [];
  for (const element of user.phoneNumbers as unknown[]) {
    const entry = element !== null && typeof element === 'object' ? (element as Record<string, unknown>) : {};
    const type = typeof entry.type === 'string' ? entry.type : undefined;
    const value = element === entry ? entry.value : element;
    const result = normalizePhone(value, options);
    if (result.ok) kept.push({ ...entry, value: result.value });
    else refused.push({ type, value, code: result.code, reason: result.reason });
  }
  return { user: { ...user, phoneNumbers: kept }, refused };
}
