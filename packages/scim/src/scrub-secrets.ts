import { REDACTED } from '@dirsync/core';

/**
 * Replaces every occurrence of the given secrets (client id and secret, an access token) in text that came from
 * the target, in case it echoes them back. Short strings are skipped: they would mask ordinary words.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}
