import { describe, expect, it } from 'vitest';
import { type NormalizeContext, normalizeUser } from './normalize-user.js';
import { CORE_USER_URN, ENTERPRISE_USER_URN } from './urns.js';

const ctx = (over: Partial<NormalizeContext> = {}): NormalizeContext => ({
  mode: 'create',
  roles: ['employee', 'agent'],
  defaultRole: 'employee',
  findUser: (id) => (id === 'boss' ? { displayName: 'Boss', location: 'http://sim/Users/boss' } : undefined),
  ...over,
});

const body = (extra: Record<string, unknown> = {}) => ({
  schemas: [CORE_USER_URN],
  userName: 'a@example.com',
  displayName: 'A',
  ...extra,
});

describe('normalizeUser', () => {
  it('canonicalizes names, drops read-only attributes, derives the other e-mail and adds the default role', () => {
    const { attributes, password } = normalizeUser(
      body({
        ID: 'ignored',
        meta: { version: '"9"' },
        groups: [{ value: 'g' }],
        Title: 'T',
        EMAILS: [
          { Type: 'WORK', Value: 'w@example.com' },
          { type: 'other', value: 'stale@example.com' },
        ],
        roles: [{ value: 'AGENT' }, { value: 'agent' }],
        password: 'secret',
        [ENTERPRISE_USER_URN.toLowerCase()]: { MANAGER: { value: 'boss', displayName: 'Forged' } },
      }),
      ctx(),
    );
    expect(attributes).toEqual({
      userName: 'a@example.com',
      displayName: 'A',
      title: 'T',
      active: true,
      emails: [
        { value: 'w@example.com', type: 'work' },
        { value: 'a@example.com', type: 'other' },
      ],
      roles: [{ value: 'employee' }, { value: 'agent' }],
      [ENTERPRISE_USER_URN]: {
        manager: { value: 'boss', $ref: 'http://sim/Users/boss', displayName: 'Boss' },
      },
    });
    expect(password).toBe('secret');
  });

  it('treats null as unassigned and drops e-mails or phones whose value was removed', () => {
    const { attributes } = normalizeUser(
      body({ title: null, phoneNumbers: [{ type: 'mobile' }], emails: [{ type: 'work' }] }),
      ctx({ mode: 'replace' }),
    );
    expect(attributes.title).toBeUndefined();
    expect(attributes.phoneNumbers).toBeUndefined();
    expect(attributes.emails).toEqual([{ value: 'a@example.com', type: 'other' }]);
    expect(attributes.roles).toBeUndefined();
  });

  it('refuses in patch mode an other e-mail that is not the userName, and a removed required attribute', () => {
    expect(() =>
      normalizeUser(body({ emails: [{ type: 'other', value: 'x@example.com' }] }), ctx({ mode: 'patch' })),
    ).toThrow(expect.objectContaining({ scimType: 'mutability' }));
    expect(() => normalizeUser({ userName: 'a@example.com' }, ctx({ mode: 'patch' }))).toThrow(
      expect.objectContaining({ scimType: 'mutability' }),
    );
    expect(() => normalizeUser({ userName: 'a@example.com' }, ctx({ mode: 'create' }))).toThrow(
      expect.objectContaining({ scimType: 'invalidSyntax' }),
    );
  });

  it.each([
    ['an unknown role', { roles: [{ value: 'x' }] }],
    ['a self-manager', { [ENTERPRISE_USER_URN]: { manager: { value: 'me' } } }],
    ['a manager without value', { [ENTERPRISE_USER_URN]: { manager: { displayName: 'x' } } }],
    ['an unknown sub-attribute', { emails: [{ type: 'work', value: 'w@x.io', label: 'x' }] }],
    [
      'a proficiency over 5',
      {
        'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User': {
          routingSkills: [{ name: 's', proficiency: 6 }],
        },
      },
    ],
    ['an empty displayName', { displayName: '  ' }],
    ['an unknown schema URN', { schemas: [CORE_USER_URN, 'urn:x:User'] }],
  ])('refuses %s with invalidValue', (_what, extra) => {
    expect(() => normalizeUser(body(extra), ctx({ selfId: 'me' }))).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidValue' }),
    );
  });
});
