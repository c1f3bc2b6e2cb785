import { describe, expect, it } from 'vitest';
import { normalizePhone } from './normalize-phone.js';
import { normalizeUserPhones } from './normalize-user-phones.js';
import { phoneRegionSchema } from './phone-region.js';

describe('normalizePhone: real-world formats', () => {
  it.each([
    // [as typed in HR, DEFAULT_PHONE_REGION, what Genesys is sent]
    ['+1 (415) 555-0132', undefined, '+14155550132'],
    ['+1 415.555.0132', undefined, '+14155550132'],
    ['+1-415-555-0132', undefined, '+14155550132'],
    ['  +14155550132  ', undefined, '+14155550132'],
    ['(415) 555-0132', 'US', '+14155550132'],
    ['415.555.0132', 'US', '+14155550132'],
    ['415-555-0132', 'us', '+14155550132'],
    ['1 (415) 555-0132', 'US', '+14155550132'],
    ['011 44 20 7946 0958', 'US', '+442079460958'],
    ['+44 20 7946 0958', undefined, '+442079460958'],
    ['+44 (0) 20 7946 0958', undefined, '+442079460958'],
    ['0044 20 7946 0958', undefined, '+442079460958'],
    ['0044 20 7946 0958', 'DE', '+442079460958'],
    ['0044 20 7946 0958', 'US', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+49 (0)30 1234567', undefined, '+49301234567'],
    ['030 1234567', 'DE', '+49301234567'],
    ['+33 6 12 34 56 78', undefined, '+33612345678'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['+1 415 555 0132 ext. 123', undefined, 'tel:+14155550132;ext=123'],
    ['+1 (415) 555-0132 x123', undefined, 'tel:+14155550132;ext=123'],
    ['415-555-0132 ext 7', 'US', 'tel:+14155550132;ext=7'],
    ['+49 30 1234567 ext. 9', undefined, 'tel:+49301234567;ext=9'],
    ['tel:+14155550132;ext=123', undefined, 'tel:+14155550132;ext=123'],
  ])('%j (region %s) → %s', (raw, defaultRegion, expected) => {
    expect(normalizePhone(raw, { defaultRegion })).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['n/a', undefined, 'not_a_number'],
    ['n/a', 'US', 'not_a_number'],
    ['', 'US', 'not_a_number'],
    ['none', 'US', 'not_a_number'],
    ['(415) 555-0132', undefined, 'no_country'],
    ['020 7946 0958', undefined, 'no_country'],
    ['123', 'US', 'too_short'],
    ['+1 555', undefined, 'too_short'],
    ['+44 20 7946 0958 0958 0958 0958', undefined, 'too_long'],
    ['+999 1234567', undefined, 'no_country'],
    ['+1-800-FLOWERS', undefined, 'not_a_number'],
    ['ask reception: 415 555 0132', 'US', 'not_a_number'],
    ['+1 415 555 013', undefined, 'too_short'],
    ['+1 015 555 0132', undefined, 'invalid'],
    ['+44 99 7946 0958', undefined, 'invalid'],
  ])('refuses %j (region %s): %s', (raw, defaultRegion, code) => {
    const result = normalizePhone(raw, { defaultRegion });
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok === false && result.reason.length > 0).toBe(true);
  });

  it('refuses what is not a string, without throwing', () => {
    for (const raw of [4155550132, null, undefined, { value: '+14155550132' }, ['+14155550132']]) {
      expect(normalizePhone(raw, { defaultRegion: 'US' })).toMatchObject({ ok: false, code: 'not_a_string' });
    }
  });

  it('gives the same answer for a number already in E.164 (normalising twice changes nothing)', () => {
    for (const raw of ['+1 (415) 555-0132', '+44 20 7946 0958 x12', '030 1234567']) {
      const once = normalizePhone(raw, { defaultRegion: 'DE' });
      expect(once.ok).toBe(true);
      if (once.ok) expect(normalizePhone(once.value)).toEqual(once);
    }
  });

  it('throws for a region the phone library does not know: a configuration mistake, not bad input', () => {
    expect(() => normalizePhone('+14155550132', { defaultRegion: 'UK' })).toThrow(RangeError);
  });
});

describe('normalizeUserPhones', () => {
  it('normalises every phone value, leaves out unusable ones and lists them with their type', () => {
    const user = {
      userName: 'ada@example.com',
      title: 'Analyst',
      phoneNumbers: [
        { type: 'work', value: '+1 (415) 555-0132', primary: true },
        { type: 'mobile', value: 'n/a' },
        { type: 'home', value: '020 7946 0958' },
        { type: 'work2', value: '415 555 0199 x42' },
      ],
    };
    const before = structuredClone(user);
    const { user: cleaned, refused } = normalizeUserPhones(user, { defaultRegion: 'US' });
    expect(cleaned).toEqual({
      userName: 'ada@example.com',
      title: 'Analyst',
      phoneNumbers: [
        { type: 'work', value: '+14155550132', primary: true },
        { type: 'work2', value: 'tel:+14155550199;ext=42' },
      ],
    });
    expect(refused).toEqual([
      { type: 'mobile', value: 'n/a', code: 'not_a_number', reason: 'is not a phone number' },
      { type: 'home', value: '020 7946 0958', code: 'too_long', reason: 'is too long to be a phone number' },
    ]);
    expect(user).toEqual(before);
  });

  it('without a default region, a number without a country code is refused', () => {
    const { user, refused } = normalizeUserPhones({
      phoneNumbers: [{ type: 'work', value: '(415) 555-0132' }],
    });
    expect(user.phoneNumbers).toEqual([]);
    expect(refused).toMatchObject([{ type: 'work', code: 'no_country' }]);
  });

  it('a user without phones is returned as is; wrong shapes are refused, never thrown', () => {
    const bare: { userName: string; phoneNumbers?: unknown } = { userName: 'a@example.com' };
    expect(normalizeUserPhones(bare)).toEqual({ user: bare, refused: [] });
    const odd = normalizeUserPhones({
      userName: 'b',
      phoneNumbers: [{ type: 'work', value: { n: 1 } }, '+14155550132', null],
    });
    expect(odd.user.phoneNumbers).toEqual([{ value: '+14155550132' }]);
    expect(odd.refused.map((r) => [r.type, r.code])).toEqual([
      ['work', 'not_a_string'],
      [undefined, 'not_a_string'],
    ]);
    const notList = normalizeUserPhones({ userName: 'c', phoneNumbers: '+14155550132' });
    expect(notList.user).toEqual({ userName: 'c' });
    expect(notList.refused).toMatchObject([{ type: undefined, code: 'not_a_list' }]);
  });
});

describe('phoneRegionSchema (DEFAULT_PHONE_REGION)', () => {
  it('accepts ISO 3166 alpha-2 codes the phone library knows, in any case', () => {
    expect(phoneRegionSchema.parse('US')).toBe('US');
    expect(phoneRegionSchema.parse(' de ')).toBe('DE');
    expect(phoneRegionSchema.parse('gb')).toBe('GB');
  });

  it.each([
    ['UK', /United Kingdom is GB/],
    ['XX', /ISO 3166/],
    ['USA', /ISO 3166/],
    ['', /ISO 3166/],
  ])('refuses %j with a message saying what is expected', (value, message) => {
    const result = phoneRegionSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});
