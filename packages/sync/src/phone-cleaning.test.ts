import { ENTERPRISE_USER_SCHEMA, type ScimUser } from '@dirsync/scim';
import { describe, expect, it } from 'vitest';
import { cleanDesiredUser, DIVISION_FIELD } from './phone-cleaning.js';

// Mapping output is untyped JSON: a test may hand the engine what no type would allow.
const withPhone = (value: unknown) =>
  ({ userName: 'a@example.com', phoneNumbers: [{ type: 'work', value }] }) as unknown as ScimUser;
const cleaned = (value: unknown, region?: string) => {
  const { user, unusable } = cleanDesiredUser(withPhone(value), region);
  return unusable.length > 0 ? null : user.phoneNumbers?.[0]?.value;
};

describe('cleanDesiredUser: phones as people type them', () => {
  it.each([
    ['+1 (415) 555-0132', '+14155550132'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+49 (0)30 1234567', '+49301234567'],
    ['+1 415 555 0132 ext. 123', 'tel:+14155550132;ext=123'],
    ['tel:+14155550132;ext=123', 'tel:+14155550132;ext=123'],
    ['+33 1 23 45 67 89', '+33123456789'],
    ['(415) 555-0132', null],
    ['n/a', null],
    ['', null],
    [42, null],
  ])('without DEFAULT_PHONE_REGION: %j → %j', (typed, expected) => {
    expect(cleaned(typed)).toBe(expected);
  });

  it.each([
    ['(415) 555-0132', 'US', '+14155550132'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['030 1234567', 'DE', '+49301234567'],
    ['+44 20 7946 0958', 'US', '+442079460958'],
    ['n/a', 'US', null],
    ['555', 'US', null],
  ])('with DEFAULT_PHONE_REGION: %j in %s → %j', (typed, region, expected) => {
    expect(cleaned(typed, region)).toBe(expected);
  });

  it('an unusable phone is left out and named by its field; the rest of the user is kept', () => {
    const { user, unusable } = cleanDesiredUser(
      { userName: 'a@example.com', title: 'Agent', phoneNumbers: [{ type: 'work', value: 'n/a' }] },
      undefined,
    );
    expect(user).toEqual({ userName: 'a@example.com', title: 'Agent', phoneNumbers: [] });
    expect(unusable).toEqual([
      expect.objectContaining({ field: 'phoneNumbers[type eq "work"]', value: 'n/a' }),
    ]);
  });

  it('a division that is not a name (a mapping yielding an object) is left out and reported, never sent', () => {
    const { user, unusable } = cleanDesiredUser(
      {
        userName: 'a@example.com',
        [ENTERPRISE_USER_SCHEMA]: { division: { name: 'Sales' }, department: 'X' },
      } as unknown as ScimUser,
      undefined,
    );
    expect(user[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'X' });
    expect(unusable).toEqual([expect.objectContaining({ field: DIVISION_FIELD })]);
  });
});
