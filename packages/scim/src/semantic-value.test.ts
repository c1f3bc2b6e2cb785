import { describe, expect, it } from 'vitest';
import { getMember, isAbsent, normalizeValue, sameValue } from './semantic-value.js';

describe('semantic values', () => {
  it.each([undefined, null, '', [], {}, [null, ''], { a: null }])('%j is absent', (value) => {
    expect(isAbsent(value)).toBe(true);
  });

  it.each([false, 0, ' ', [0], { a: false }])('%j is present', (value) => {
    expect(isAbsent(value)).toBe(false);
  });

  it('compares primitives by value and strings exactly unless asked', () => {
    expect(sameValue('a', 'A')).toBe(false);
    expect(sameValue('a', 'A', true)).toBe(true);
    expect(sameValue(1, '1')).toBe(false);
    expect(sameValue(null, '')).toBe(true);
  });

  it('ignores order in arrays but not multiplicity', () => {
    expect(sameValue([{ v: 1 }, { v: 2 }], [{ v: 2 }, { v: 1 }])).toBe(true);
    expect(sameValue([1, 1, 2], [1, 2, 2])).toBe(false);
  });

  it('drops absent members when normalizing', () => {
    expect(normalizeValue({ a: '', b: [null], c: { d: undefined }, e: 'x' })).toEqual({ e: 'x' });
  });

  it('reads members case-insensitively as a fallback', () => {
    expect(getMember({ userName: 'a' }, 'username')).toBe('a');
    expect(getMember({ username: 'b', userName: 'a' }, 'userName')).toBe('a');
    expect(getMember(null, 'x')).toBeUndefined();
  });
});
