import fc from 'fast-check';
import { parse } from 'scim2-parse-filter';
import { describe, expect, it } from 'vitest';
import { protectFilterValues } from './filter-values.js';

const parseProtected = (text: string) => {
  const shielded = protectFilterValues(text);
  return shielded.restore(parse(shielded.text));
};

describe('protectFilterValues', () => {
  it('turns bare values into strings and keeps literals', () => {
    expect(parseProtected('userName eq a@b.c and active eq true')).toEqual({
      op: 'and',
      filters: [
        { op: 'eq', attrPath: 'userName', compValue: 'a@b.c' },
        { op: 'eq', attrPath: 'active', compValue: true },
      ],
    });
    expect(parseProtected('roles[value eq agent]')).toEqual({
      op: '[]',
      attrPath: 'roles',
      valFilter: { op: 'eq', attrPath: 'value', compValue: 'agent' },
    });
  });

  it('round-trips any quoted string exactly', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(parseProtected(`externalId eq ${JSON.stringify(value)}`)).toEqual({
          op: 'eq',
          attrPath: 'externalId',
          compValue: value,
        });
      }),
    );
  });

  it('leaves text it cannot tokenize for the parser to refuse', () => {
    expect(() => parseProtected('externalId eq "open')).toThrow();
  });
});
