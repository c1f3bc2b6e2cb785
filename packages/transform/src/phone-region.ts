import { getCountries, isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';

/**
 * `DEFAULT_PHONE_REGION`: an ISO 3166 alpha-2 code the phone library knows (`US`, `GB`, `DE`; any case, given
 * back upper-case). `UK` is refused with a hint, since the ISO code is `GB`. For an app's env schema:
 * `DEFAULT_PHONE_REGION: phoneRegionSchema.optional()`.
 */
export const phoneRegionSchema = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .superRefine((code, ctx) => {
    if (isSupportedCountry(code)) return;
    const hint = code === 'UK' ? ' (the United Kingdom is GB)' : '';
    ctx.addIssue({
      code: 'custom',
      message: `must be an ISO 3166 alpha-2 country code such as US, GB or DE${hint}; "${code}" is not one (${getCountries().length} are known)`,
    });
  });
