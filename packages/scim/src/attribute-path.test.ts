import { describe, expect, it } from 'vitest';
import { isOwnedPath, parseOwnedPath, parseOwnedPaths } from './attribute-path.js';
import { ENTERPRISE_USER_SCHEMA as E, SCIM_USER_SCHEMA } from './schema.js';

describe('parseOwnedPath', () => {
  it.each([
    ['title', { kind: 'attribute', path: 'title', location: { attr: 'title' }, match: 'exact' }],
    [
      'userName',
      { kind: 'attribute', path: 'userName', location: { attr: 'userName' }, match: 'caseInsensitive' },
    ],
    [
      'name.givenName',
      {
        kind: 'attribute',
        path: 'name.givenName',
        location: { attr: 'name', sub: 'givenName' },
        match: 'exact',
      },
    ],
    [
      `${SCIM_USER_SCHEMA}:displayName`,
      { kind: 'attribute', path: 'displayName', location: { attr: 'displayName' }, match: 'exact' },
    ],
    [
      `${E}:department`,
      {
        kind: 'attribute',
        path: `${E}:department`,
        location: { schema: E, attr: 'department' },
        match: 'exact',
      },
    ],
    [
      `${E}:manager`,
      {
        kind: 'attribute',
        path: `${E}:manager`,
        location: { schema: E, attr: 'manager' },
        match: 'reference',
      },
    ],
    [
      'emails[type eq "work"]',
      {
        kind: 'typed',
        path: 'emails[type eq "work"]',
        attr: 'emails',
        type: 'work',
        caseInsensitiveValue: true,
      },
    ],
    [
      'phoneNumbers[ type  eq "mobile" ]',
      {
        kind: 'typed',
        path: 'phoneNumbers[type eq "mobile"]',
        attr: 'phoneNumbers',
        type: 'mobile',
        caseInsensitiveValue: false,
      },
    ],
    [
      'emails[ type eq "work" ]',
      {
        kind: 'typed',
        path: 'emails[type eq "work"]',
        attr: 'emails',
        type: 'work',
        caseInsensitiveValue: true,
      },
    ],
    [
      `${E}:manager.value`,
      {
        kind: 'attribute',
        path: `${E}:manager.value`,
        location: { schema: E, attr: 'manager', sub: 'value' },
        match: 'exact',
      },
    ],
    ['roles', { kind: 'roles', path: 'roles' }],
  ])('%s', (raw, expected) => {
    expect(parseOwnedPath(raw)).toEqual(expected);
  });

  it('unescapes and re-escapes filter values', () => {
    const parsed = parseOwnedPath('emails[type eq "a\\"b\\\\c"]');
    expect(parsed).toMatchObject({ type: 'a"b\\c', path: 'emails[type eq "a\\"b\\\\c"]' });
  });

  it.each([
    'customFields["x"]',
    'emails[type eq "work"].value',
    'emails[value eq "x"]',
    `${E}:manager[type eq "x"]`,
    '',
    'a..b',
    'cost center',
    'emails[type eq work]',
    'emails[type eq "\\x"]',
    'name.given.name',
    `${E}:`,
    'urn:x',
    'urn:a b:title',
  ])('rejects %j', (raw) => {
    expect(() => parseOwnedPath(raw)).toThrow(expect.objectContaining({ code: 'invalid_owned_path' }));
  });

  it('drops duplicates, keeping the first position', () => {
    expect(parseOwnedPaths(['title', 'roles', `${SCIM_USER_SCHEMA}:title`]).map((p) => p.path)).toEqual([
      'title',
      'roles',
    ]);
  });

  it('tells which paths it accepts without throwing', () => {
    expect(['userName', 'emails[ type eq "work" ]', `${E}:manager.value`].every(isOwnedPath)).toBe(true);
    expect(['urn:x', 'emails[type eq work]', ''].some(isOwnedPath)).toBe(false);
  });
});
