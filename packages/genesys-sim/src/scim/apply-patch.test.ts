import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatchOperations, readPatchBody } from './apply-patch.js';
import { ENTERPRISE_USER_URN, PATCH_OP_URN } from './urns.js';
import type { PatchOperation, ScimUser } from './user-types.js';

const base = (): ScimUser => ({
  schemas: [],
  id: 'u1',
  userName: 'a@example.com',
  displayName: 'A',
  active: true,
  emails: [
    { type: 'work', value: 'w@example.com' },
    { type: 'other', value: 'a@example.com' },
  ],
  roles: [{ value: 'employee' }, { value: 'agent' }],
  meta: { resourceType: 'User', created: '', lastModified: '', location: '', version: '"1"' },
});

const apply = (ops: PatchOperation[], user = base()) =>
  applyPatchOperations(user, ops) as Record<string, unknown>;

describe('readPatchBody', () => {
  it('lower-cases op names (scim-patch validates ADD but only applies add/Add)', () => {
    const ops = readPatchBody({
      schemas: [PATCH_OP_URN],
      Operations: [{ op: 'ADD', path: 'title', value: 'x' }],
    });
    expect(ops).toEqual([{ op: 'add', path: 'title', value: 'x' }]);
    expect(apply(ops).title).toBe('x');
  });

  it('refuses schemas given as a string (scim-patch’s includes() would accept it)', () => {
    expect(() =>
      readPatchBody({ schemas: PATCH_OP_URN, Operations: [{ op: 'add', path: 'title', value: 1 }] }),
    ).toThrow(expect.objectContaining({ scimType: 'invalidSyntax' }));
  });

  it('refuses a replace without a value', () => {
    expect(() =>
      readPatchBody({ schemas: [PATCH_OP_URN], Operations: [{ op: 'replace', path: 'title' }] }),
    ).toThrow(expect.objectContaining({ scimType: 'invalidSyntax' }));
  });
});

describe('applyPatchOperations — scim-patch quirks handled', () => {
  it('creates a filtered entry from a value object when the attribute is absent or has no match', () => {
    const absent = apply([{ op: 'add', path: 'phoneNumbers[type eq "mobile"]', value: { value: '+1' } }]);
    expect(absent.phoneNumbers).toEqual([{ type: 'mobile', value: '+1' }]);
    const withOthers = base();
    withOthers.phoneNumbers = [{ type: 'work', value: '+2' }];
    const added = apply(
      [{ op: 'add', path: 'phoneNumbers[type eq "mobile"]', value: { value: '+1' } }],
      withOthers,
    );
    expect(added.phoneNumbers).toEqual([
      { type: 'work', value: '+2' },
      { type: 'mobile', value: '+1' },
    ]);
  });

  it('treats removing a missing attribute or an unmatched entry as a no-op', () => {
    expect(
      apply([{ op: 'remove', path: 'phoneNumbers[type eq "mobile"].value' }]).phoneNumbers,
    ).toBeUndefined();
    expect(apply([{ op: 'remove', path: 'roles[value eq "nope"]' }]).roles).toEqual(base().roles);
    expect(
      apply([{ op: 'remove', path: `${ENTERPRISE_USER_URN}:manager` }])[ENTERPRISE_USER_URN],
    ).toBeUndefined();
  });

  it('keeps colons in filter values working', () => {
    const user = base();
    user.roles = [{ value: 'employee' }, { value: 'q:billing' }];
    expect(apply([{ op: 'remove', path: 'roles[value eq "q:billing"]' }], user).roles).toEqual([
      { value: 'employee' },
    ]);
    const replaced = apply(
      [{ op: 'replace', path: 'roles[value eq "q:billing"].value', value: 'q:sales' }],
      user,
    );
    expect(replaced.roles).toEqual([{ value: 'employee' }, { value: 'q:sales' }]);
  });

  it('merges a path-less extension object into the extension instead of nesting it under ":User"', () => {
    const user = base();
    user[ENTERPRISE_USER_URN] = { department: 'Sales', employeeNumber: '1' };
    const patched = apply(
      [{ op: 'replace', value: { [ENTERPRISE_USER_URN]: { department: 'Support' } } }],
      user,
    );
    expect(patched[ENTERPRISE_USER_URN]).toEqual({ department: 'Support', employeeNumber: '1' });
    expect(Object.keys(patched).some((k) => k.endsWith(':2.0'))).toBe(false);
  });

  it('hides the read-only other e-mail from the operations', () => {
    expect(
      apply([{ op: 'replace', path: 'emails', value: [{ type: 'work', value: 'n@example.com' }] }]).emails,
    ).toEqual([{ type: 'work', value: 'n@example.com' }]);
  });
});

describe('applyPatchOperations — properties', () => {
  const simple = fc.record(
    {
      title: fc.string(),
      displayName: fc.string({ minLength: 1 }),
      externalId: fc.string(),
      active: fc.boolean(),
    },
    { requiredKeys: [] },
  );

  it('a path-less value object equals one operation per attribute', () => {
    fc.assert(
      fc.property(simple, fc.constantFrom('add', 'replace'), (value, op) => {
        const together = apply([{ op, value }]);
        const apart = apply(Object.entries(value).map(([path, v]) => ({ op, path, value: v })));
        expect(together).toEqual(apart);
      }),
    );
  });

  it('adding then removing a role by filter leaves the roles as they were', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9:_ -]{0,20}$/), (role) => {
        fc.pre(role !== 'employee' && role !== 'agent');
        const patched = apply([
          { op: 'add', path: 'roles', value: [{ value: role }] },
          { op: 'remove', path: `roles[value eq ${JSON.stringify(role)}]` },
        ]);
        expect(patched.roles).toEqual(base().roles);
      }),
    );
  });
});

describe('applyPatchOperations — backslashes in filter values', () => {
  it('matches a role whose name holds a backslash', () => {
    const user = base();
    user.roles = [{ value: 'employee' }, { value: 'DOMAIN\\agents' }];
    const patched = apply([{ op: 'remove', path: 'roles[value eq "DOMAIN\\\\agents"]' }], user);
    expect(patched.roles).toEqual([{ value: 'employee' }]);
  });
});
