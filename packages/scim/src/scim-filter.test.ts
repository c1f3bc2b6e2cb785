import { describe, expect, it } from 'vitest';
import { eqFilter, escapeFilterValue, valuePath } from './scim-filter.js';

describe('SCIM filters', () => {
  it('escapes quotes and backslashes', () => {
    expect(escapeFilterValue('HR "9" \\ x')).toBe('HR \\"9\\" \\\\ x');
    expect(eqFilter('externalId', 'a"b')).toBe('externalId eq "a\\"b"');
  });

  it('leaves ordinary values alone', () => {
    expect(eqFilter('userName', 'ada@example.com')).toBe('userName eq "ada@example.com"');
    expect(valuePath('roles', 'value', 'Master Admin')).toBe('roles[value eq "Master Admin"]');
  });
});
