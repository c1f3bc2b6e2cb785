import { describe, expect, it } from 'vitest';
import { compareUser } from './compare-user.js';
import { diffUser } from './diff-user.js';
import { projectOwned } from './project-owned.js';
import { ENTERPRISE_USER_SCHEMA as E, type ScimUser } from './schema.js';

const OWNED = [
  'userName',
  'displayName',
  'title',
  'active',
  'externalId',
  'emails[type eq "work"]',
  'phoneNumbers[type eq "mobile"]',
  'roles',
  `${E}:department`,
  `${E}:division`,
  `${E}:employeeNumber`,
  `${E}:dateHire`,
  `${E}:manager`,
];
const options = { owned: OWNED, managedRoles: new Set(['agent', 'supervisor']) };

function user(overrides: ScimUser = {}): ScimUser {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', E],
    id: '8f0c2b4e-1111-4c4c-9999-000000000001',
    externalId: 'HR-1',
    userName: 'ada@example.com',
    displayName: 'Ada Lovelace',
    title: 'Engineer',
    active: true,
    emails: [
      { type: 'other', value: 'ada@example.com', primary: true },
      { type: 'work', value: 'ada@example.com' },
    ],
    phoneNumbers: [{ type: 'mobile', value: '+15550100' }],
    roles: [{ value: 'employee' }, { value: 'agent' }],
    [E]: {
      department: 'Support',
      division: 'Home',
      employeeNumber: '1001',
      dateHire: '2020-01-02',
      manager: { value: 'mgr-1', displayName: 'Grace' },
    },
    meta: { version: '"7"', resourceType: 'User' },
    ...overrides,
  };
}

function ext(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...user()[E], ...overrides };
}

describe('diffUser', () => {
  it('returns no operations when nothing owned differs', () => {
    expect(diffUser(user(), user(), options)).toEqual([]);
  });

  it('replaces a simple attribute that differs', () => {
    expect(diffUser(user(), user({ title: 'Lead' }), options)).toEqual([
      { op: 'replace', path: 'title', value: 'Lead' },
    ]);
  });

  it('adds a simple attribute the target does not have yet', () => {
    expect(diffUser(user({ title: undefined }), user({ title: 'Lead' }), options)).toEqual([
      { op: 'add', path: 'title', value: 'Lead' },
    ]);
  });

  it('replaces active=true with false', () => {
    expect(diffUser(user(), user({ active: false }), options)).toEqual([
      { op: 'replace', path: 'active', value: false },
    ]);
  });

  it.each([undefined, null, ''])('removes an owned attribute absent from desired (%s)', (absent) => {
    expect(diffUser(user(), user({ title: absent as string | undefined }), options)).toEqual([
      { op: 'remove', path: 'title' },
    ]);
  });

  it('treats missing, null, empty string and empty array alike', () => {
    const current = user({ title: null as unknown as string, emails: [] });
    const desired = user({ title: '', emails: undefined });
    expect(diffUser(current, desired, options)).toEqual([]);
  });

  it('ignores desired attributes that are not owned and leaves non-owned attributes alone', () => {
    const current = user({ nickName: 'ada', locale: 'en-GB' });
    const desired = user({ nickName: 'countess', locale: undefined, title: 'Lead' });
    expect(diffUser(current, desired, options)).toEqual([{ op: 'replace', path: 'title', value: 'Lead' }]);
    expect(diffUser(current, desired, { ...options, owned: ['displayName'] })).toEqual([]);
  });

  it('compares userName case-insensitively, as Genesys does', () => {
    expect(diffUser(user(), user({ userName: 'ADA@Example.COM' }), options)).toEqual([]);
    expect(diffUser(user(), user({ userName: 'ada.l@example.com' }), options)).toEqual([
      { op: 'replace', path: 'userName', value: 'ada.l@example.com' },
    ]);
  });

  it('compares other strings exactly', () => {
    expect(diffUser(user(), user({ displayName: 'ada lovelace' }), options)).toEqual([
      { op: 'replace', path: 'displayName', value: 'ada lovelace' },
    ]);
  });

  describe('typed multi-valued attributes', () => {
    it('replaces only the value of the element of that type', () => {
      const desired = user({ emails: [{ type: 'work', value: 'ada.l@example.com' }] });
      expect(diffUser(user(), desired, options)).toEqual([
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada.l@example.com' },
      ]);
    });

    it('compares e-mail values case-insensitively but phone numbers exactly', () => {
      expect(
        diffUser(user(), user({ emails: [{ type: 'work', value: 'ADA@EXAMPLE.COM' }] }), options),
      ).toEqual([]);
      expect(
        diffUser(user(), user({ phoneNumbers: [{ type: 'mobile', value: '+15550199' }] }), options),
      ).toEqual([{ op: 'replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+15550199' }]);
    });

    it('adds the element when the target has none of that type', () => {
      const current = user({ phoneNumbers: [{ type: 'work', value: '+15550111' }] });
      expect(diffUser(current, user(), options)).toEqual([
        { op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+15550100' }] },
      ]);
    });

    it('carries primary on an added element when desired sets it', () => {
      const current = user({ emails: [] });
      const desired = user({ emails: [{ type: 'work', value: 'ada@example.com', primary: true }] });
      expect(diffUser(current, desired, options)).toEqual([
        { op: 'add', path: 'emails', value: [{ type: 'work', value: 'ada@example.com', primary: true }] },
      ]);
    });

    it('removes the element when desired lacks it', () => {
      expect(diffUser(user(), user({ phoneNumbers: undefined }), options)).toEqual([
        { op: 'remove', path: 'phoneNumbers[type eq "mobile"]' },
      ]);
    });

    it('lets primary matter only when desired sets it', () => {
      const current = user({ emails: [{ type: 'work', value: 'ada@example.com', primary: true }] });
      expect(
        diffUser(current, user({ emails: [{ type: 'work', value: 'ada@example.com' }] }), options),
      ).toEqual([]);
      expect(
        diffUser(
          user(),
          user({ emails: [{ type: 'work', value: 'ada@example.com', primary: true }] }),
          options,
        ),
      ).toEqual([{ op: 'replace', path: 'emails[type eq "work"].primary', value: true }]);
      // primary: false and no primary flag mean the same.
      expect(
        diffUser(
          user(),
          user({ emails: [{ type: 'work', value: 'ada@example.com', primary: false }] }),
          options,
        ),
      ).toEqual([]);
    });

    it('does not care about the order of elements', () => {
      const current = user({ emails: [...(user().emails ?? [])].reverse() });
      expect(diffUser(current, user(), options)).toEqual([]);
    });

    it('starts over when the target has several elements of one type', () => {
      const current = user({
        emails: [
          { type: 'work', value: 'old@example.com' },
          { type: 'work', value: 'ada@example.com' },
        ],
      });
      expect(diffUser(current, user(), options)).toEqual([
        { op: 'remove', path: 'emails[type eq "work"]' },
        { op: 'add', path: 'emails', value: [{ type: 'work', value: 'ada@example.com' }] },
      ]);
    });

    it('merges adds to one attribute into one operation, after all removes', () => {
      const owned = ['emails[type eq "work"]', 'emails[type eq "home"]', 'title'];
      const current: ScimUser = { title: 'x', emails: [{ type: 'other', value: 'a@example.com' }] };
      const desired: ScimUser = {
        emails: [
          { type: 'home', value: 'h@example.com' },
          { type: 'work', value: 'w@example.com' },
        ],
      };
      expect(diffUser(current, desired, { owned, managedRoles: new Set() })).toEqual([
        { op: 'remove', path: 'title' },
        {
          op: 'add',
          path: 'emails',
          value: [
            { type: 'work', value: 'w@example.com' },
            { type: 'home', value: 'h@example.com' },
          ],
        },
      ]);
    });

    it('escapes quotes and backslashes in filter values', () => {
      const owned = ['emails[type eq "we\\"ird\\\\"]'];
      const current: ScimUser = { emails: [{ type: 'we"ird\\', value: 'a@example.com' }] };
      expect(diffUser(current, {}, { owned, managedRoles: new Set() })).toEqual([
        { op: 'remove', path: 'emails[type eq "we\\"ird\\\\"]' },
      ]);
    });
  });

  describe('extension attributes', () => {
    it('replaces, adds and removes enterprise attributes by their URN path', () => {
      const current = user({ [E]: ext({ division: undefined, dateHire: '' }) });
      const desired = user({ [E]: ext({ department: 'Sales', division: 'Home', employeeNumber: null }) });
      expect(diffUser(current, desired, options)).toEqual([
        { op: 'remove', path: `${E}:employeeNumber` },
        { op: 'replace', path: `${E}:department`, value: 'Sales' },
        { op: 'add', path: `${E}:division`, value: 'Home' },
        { op: 'add', path: `${E}:dateHire`, value: '2020-01-02' },
      ]);
    });

    it('compares the manager by value only', () => {
      const desired = user({ [E]: ext({ manager: { value: 'mgr-1' } }) });
      expect(diffUser(user(), desired, options)).toEqual([]);
      const moved = user({ [E]: ext({ manager: { value: 'mgr-2', displayName: 'Someone' } }) });
      expect(diffUser(user(), moved, options)).toEqual([
        { op: 'replace', path: `${E}:manager`, value: { value: 'mgr-2' } },
      ]);
    });

    it('removes the manager when desired has none (or only an unresolved HR id)', () => {
      const expected = [{ op: 'remove', path: `${E}:manager` }];
      expect(diffUser(user(), user({ [E]: ext({ manager: undefined }) }), options)).toEqual(expected);
      expect(diffUser(user(), user({ [E]: ext({ manager: { externalId: 'HR-9' } }) }), options)).toEqual(
        expected,
      );
    });

    it('adds a manager to a user without the extension', () => {
      const current = user({ [E]: undefined });
      const desired: ScimUser = { ...current, [E]: { manager: { value: 'mgr-3' } } };
      expect(diffUser(current, desired, options)).toEqual([
        { op: 'add', path: `${E}:manager`, value: { value: 'mgr-3' } },
      ]);
    });

    it('supports complex sub-attributes of generic targets', () => {
      const owned = ['name.givenName', 'name.familyName'];
      const current: ScimUser = { name: { givenName: 'Ada', familyName: 'Byron', formatted: 'x' } };
      const desired: ScimUser = { name: { givenName: 'Ada', familyName: 'Lovelace' } };
      expect(diffUser(current, desired, { owned, managedRoles: new Set() })).toEqual([
        { op: 'replace', path: 'name.familyName', value: 'Lovelace' },
      ]);
    });
  });

  describe('roles', () => {
    it('adds every missing role in one operation', () => {
      const desired = user({ roles: [{ value: 'supervisor' }, { value: 'agent' }, { value: 'coach' }] });
      expect(diffUser(user(), desired, options)).toEqual([
        { op: 'add', path: 'roles', value: [{ value: 'coach' }, { value: 'supervisor' }] },
      ]);
    });

    it('removes managed roles no longer desired, never unmanaged ones', () => {
      const current = user({
        roles: [
          { value: 'employee' },
          { value: 'agent' },
          { value: 'supervisor' },
          { value: 'hand-granted' },
        ],
      });
      const desired = user({ roles: [{ value: 'agent' }] });
      expect(diffUser(current, desired, options)).toEqual([
        { op: 'remove', path: 'roles[value eq "supervisor"]' },
      ]);
    });

    it('removes only managed roles when desired has none', () => {
      expect(diffUser(user(), user({ roles: [] }), options)).toEqual([
        { op: 'remove', path: 'roles[value eq "agent"]' },
      ]);
    });

    it('does not care about role order', () => {
      const current = user({ roles: [{ value: 'agent' }, { value: 'employee' }] });
      expect(diffUser(current, user({ roles: [{ value: 'agent' }] }), options)).toEqual([]);
    });

    it('compares role names case-insensitively: the target spelling another case is no change', () => {
      const current = user({ roles: [{ value: 'Agent' }, { value: 'employee' }] });
      expect(diffUser(current, user({ roles: [{ value: 'agent' }] }), options)).toEqual([]);
      const managed = { ...options, managedRoles: new Set(['Agent', 'supervisor']) };
      // A managed role no longer wanted is removed as the target spells it; another case of a wanted one stays.
      const both = user({ roles: [{ value: 'Agent' }, { value: 'supervisor' }] });
      expect(diffUser(both, user({ roles: [{ value: 'AGENT' }] }), managed)).toEqual([
        { op: 'remove', path: 'roles[value eq "supervisor"]' },
      ]);
    });

    it('escapes role names in removal paths', () => {
      const managedRoles = new Set(['say "hi" \\ now']);
      const current: ScimUser = { roles: [{ value: 'say "hi" \\ now' }] };
      expect(diffUser(current, {}, { owned: ['roles'], managedRoles })).toEqual([
        { op: 'remove', path: 'roles[value eq "say \\"hi\\" \\\\ now"]' },
      ]);
    });
  });

  it('owns each phone type the mapping writes on its own; other types are left alone', () => {
    const phones = {
      owned: ['phoneNumbers[type eq "work"]', 'phoneNumbers[type eq "mobile"]'],
      managedRoles: new Set<string>(),
    };
    const current: ScimUser = {
      phoneNumbers: [
        { type: 'work', value: '+14155550100' },
        { type: 'home', value: '+14155550999' },
        { type: 'microsoftteams', value: 'tel:+14155550998' },
      ],
    };
    const desired: ScimUser = {
      phoneNumbers: [
        { type: 'work', value: '+14155550100' },
        { type: 'mobile', value: '+14155550177' },
      ],
    };
    expect(diffUser(current, desired, phones)).toEqual([
      { op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+14155550177' }] },
    ]);
    expect(
      diffUser(
        { ...current, phoneNumbers: [...(current.phoneNumbers ?? []), { type: 'mobile', value: '+1415' }] },
        { phoneNumbers: [] },
        phones,
      ),
    ).toEqual([
      { op: 'remove', path: 'phoneNumbers[type eq "work"]' },
      { op: 'remove', path: 'phoneNumbers[type eq "mobile"]' },
    ]);
  });

  it('orders removes first, then writes in owned order', () => {
    const current = user({ title: 'Engineer', displayName: 'Ada' });
    const desired = user({
      title: undefined,
      displayName: 'Ada L',
      active: false,
      roles: [{ value: 'coach' }],
    });
    expect(diffUser(current, desired, options)).toEqual([
      { op: 'remove', path: 'title' },
      { op: 'remove', path: 'roles[value eq "agent"]' },
      { op: 'replace', path: 'displayName', value: 'Ada L' },
      { op: 'replace', path: 'active', value: false },
      { op: 'add', path: 'roles', value: [{ value: 'coach' }] },
    ]);
  });

  it('rejects owned paths it cannot handle', () => {
    expect(() => diffUser({}, {}, { owned: ['customFields["x"]'], managedRoles: new Set() })).toThrow(
      expect.objectContaining({ code: 'invalid_owned_path' }),
    );
  });
});

describe('compareUser', () => {
  it('is empty when the answer matches', () => {
    expect(compareUser(user({ userName: 'ADA@example.com' }), user(), options)).toEqual([]);
  });

  it('lists each owned field that still differs', () => {
    const actual = user({
      title: 'Engineer',
      emails: [{ type: 'work', value: 'old@example.com' }],
      roles: [{ value: 'employee' }, { value: 'supervisor' }],
      [E]: ext({ manager: { value: 'mgr-9' } }),
    });
    const desired = user({ title: 'Lead', roles: [{ value: 'agent' }] });
    expect(compareUser(actual, desired, options)).toEqual([
      { field: 'title', expected: 'Lead', actual: 'Engineer' },
      {
        field: 'emails[type eq "work"]',
        expected: { type: 'work', value: 'ada@example.com' },
        actual: { type: 'work', value: 'old@example.com' },
      },
      { field: 'roles', expected: ['agent', 'employee'], actual: ['employee', 'supervisor'] },
      { field: `${E}:manager`, expected: 'mgr-1', actual: 'mgr-9' },
    ]);
  });
});

describe('projectOwned', () => {
  it('keeps only owned attributes, normalized', () => {
    const projected = projectOwned(user({ nickName: 'x', title: '' }), { owned: OWNED });
    expect(projected).toEqual({
      externalId: 'HR-1',
      userName: 'ada@example.com',
      displayName: 'Ada Lovelace',
      active: true,
      emails: [{ type: 'work', value: 'ada@example.com' }],
      phoneNumbers: [{ type: 'mobile', value: '+15550100' }],
      roles: [{ value: 'employee' }, { value: 'agent' }],
      [E]: {
        department: 'Support',
        division: 'Home',
        employeeNumber: '1001',
        dateHire: '2020-01-02',
        manager: { value: 'mgr-1' },
      },
    });
  });

  it('diffs the same as the full user', () => {
    const desired = user({ title: 'Lead', roles: [] });
    expect(diffUser(projectOwned(user(), options), desired, options)).toEqual(
      diffUser(user(), desired, options),
    );
  });
});
