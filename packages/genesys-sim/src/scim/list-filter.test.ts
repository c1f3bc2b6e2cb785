import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseListFilter } from './list-filter.js';
import { ENTERPRISE_USER_URN } from './urns.js';
import type { ScimUser } from './user-types.js';

const user = (over: Partial<ScimUser> = {}): ScimUser => ({
  schemas: [],
  id: 'id-1',
  userName: 'Ana@Example.com',
  displayName: 'Ana',
  active: true,
  emails: [{ type: 'other', value: 'Ana@Example.com' }],
  meta: { resourceType: 'User', created: '', lastModified: '', location: '', version: '"1"' },
  ...over,
});

describe('parseListFilter', () => {
  it('matches quoted values containing any characters exactly', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        const filter = parseListFilter(`externalId eq ${JSON.stringify(a)}`);
        expect(filter.matches(user({ externalId: a }))).toBe(true);
        expect(filter.matches(user({ externalId: b }))).toBe(a === b);
      }),
    );
  });

  it('takes bare values: ids, e-mail addresses, numbers', () => {
    expect(parseListFilter('externalId eq HR-1').matches(user({ externalId: 'HR-1' }))).toBe(true);
    expect(parseListFilter('userName eq ana@example.com and active eq true').matches(user())).toBe(true);
    expect(parseListFilter('(externalId eq 1234-ab)').matches(user({ externalId: '1234-ab' }))).toBe(true);
    expect(parseListFilter('externalId eq 12').matches(user({ externalId: '12' }))).toBe(true);
  });

  it('keeps backslashes and quotes in quoted values (scim2-parse-filter doubles backslashes)', () => {
    for (const value of ['a\\b', 'ends with \\', 'say "hi"', 'tab\there']) {
      const filter = parseListFilter(`externalId eq ${JSON.stringify(value)}`);
      expect(filter.matches(user({ externalId: value }))).toBe(true);
    }
  });

  it('compares userName and email case-insensitively, externalId case-sensitively', () => {
    expect(parseListFilter('userName eq "ana@example.COM"').matches(user())).toBe(true);
    expect(parseListFilter('email eq ana@example.com').matches(user())).toBe(true);
    expect(parseListFilter('externalId eq "hr-1"').matches(user({ externalId: 'HR-1' }))).toBe(false);
  });

  it('reads the enterprise extension for employeeNumber, manager and division', () => {
    const u = user({
      [ENTERPRISE_USER_URN]: { employeeNumber: '42', division: 'Home', manager: { value: 'm-1' } },
    });
    expect(parseListFilter('employeeNumber eq 42').matches(u)).toBe(true);
    expect(parseListFilter('manager eq "m-1"').matches(u)).toBe(true);
    expect(parseListFilter('division eq HOME').matches(u)).toBe(true);
    expect(parseListFilter('division eq "Other"').matches(u)).toBe(false);
  });

  it('says when a filter mentions active', () => {
    expect(parseListFilter('active eq false').mentionsActive).toBe(true);
    expect(parseListFilter('externalId eq "x" and active eq true').mentionsActive).toBe(true);
    expect(parseListFilter('externalId eq "x"').mentionsActive).toBe(false);
  });

  it.each([
    'title eq "x"',
    'userName sw "a"',
    'userName pr',
    'emails[type eq "work"]',
    'active eq 3',
    'a eq',
  ])('refuses %j with invalidFilter', (text) => {
    expect(() => parseListFilter(text)).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidFilter' }),
    );
  });
});
