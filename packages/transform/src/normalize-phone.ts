import {
  type CountryCode,
  isSupportedCountry,
  ParseError,
  type PhoneNumber,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js';

/** Why a phone number cannot be used. */
export type PhoneRefusalCode =
  | 'not_a_string'
  | 'not_a_number'
  | 'no_country'
  | 'too_short'
  | 'too_long'
  | 'invalid';

/** A usable phone in the form Genesys accepts (E.164, or a tel URI with the extension), or why it is not usable. */
export type PhoneResult = { ok: true; value: string } | { ok: false; code: PhoneRefusalCode; reason: string };

/** Options of {@link normalizePhone}. */
export interface NormalizePhoneOptions {
  /**
   * ISO 3166 alpha-2 region used to read numbers written without a country code (`DEFAULT_PHONE_REGION`); unset:
   * such numbers are not usable.
   */
  defaultRegion?: string | undefined;
}

const REASONS: Record<PhoneRefusalCode, string> = {
  not_a_string: 'is not a string',
  not_a_number: 'is not a phone number',
  no_country: 'has no country code (write it as +<country code>…, or set DEFAULT_PHONE_REGION)',
  too_short: 'is too short to be a phone number',
  too_long: 'is too long to be a phone number',
  invalid: 'is not a valid phone number for its country',
};

function refuse(code: PhoneRefusalCode): PhoneResult {
  return { ok: false, code, reason: REASONS[code] };
}

function read(text: string, region: CountryCode | undefined): PhoneNumber | PhoneRefusalCode {
  try {
    // Strict: a field holds a number, not a sentence with one in it; a tel URI (what Genesys gives back) is read
    // as one.
    const extract = /^tel:/i.test(text);
    const phone = parsePhoneNumberWithError(text, { defaultCountry: region, extract });
    if (phone.isValid()) return phone;
    const length = validatePhoneNumberLength(text, { defaultCountry: region });
    return length === 'TOO_SHORT' ? 'too_short' : length === 'TOO_LONG' ? 'too_long' : 'invalid';
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    if (error.message === 'INVALID_COUNTRY') return 'no_country';
    if (error.message === 'TOO_SHORT') return 'too_short';
    if (error.message === 'TOO_LONG') return 'too_long';
    return 'not_a_number';
  }
}

/**
 * Normalises a phone number written the way people write them (`+1 (415) 555-0132`, `0044 20 7946 0958`,
 * `+49 (0)30 1234567`, `… ext. 123`) to E.164 (`+14155550132`), or to the tel URI Genesys accepts when it has an
 * extension (`tel:+14155550132;ext=123`). A number without a country code is read in `defaultRegion`; without
 * one it is refused. Never throws for bad input; throws a `RangeError` for a `defaultRegion` that is not a known
 * region (a configuration mistake: check it with `phoneRegionSchema` at start-up).
 */
export function normalizePhone(raw: unknown, options: NormalizePhoneOptions = {}): PhoneResult {
  const region = toRegion(options.defaultRegion);
  if (typeof raw !== 'string') return refuse('not_a_string');
  const text = raw.trim();
  let phone = read(text, region);
  // `00` is the international prefix of most of the world; without a region (or in one that dials out with
  // another prefix, like the US with 011) libphonenumber cannot know that, so a number that failed is tried as `+`.
  if (typeof phone === 'string' && /^00[1-9]/.test(text)) {
    const international = read(`+${text.slice(2)}`, undefined);
    if (typeof international !== 'string') phone = international;
  }
  if (typeof phone === 'string') return refuse(phone);
  return { ok: true, value: phone.ext ? phone.getURI() : phone.number };
}

function toRegion(region: string | undefined): CountryCode | undefined {
  if (region === undefined) return undefined;
  const upper = region.toUpperCase();
  if (!isSupportedCountry(upper)) throw new RangeError(`unknown phone region "${region}"`);
  return upper;
}
