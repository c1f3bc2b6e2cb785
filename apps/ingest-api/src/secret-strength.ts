/** Shortest HMAC key worth trusting: 24 bytes (192 bits) from a random source. */
export const MIN_SECRET_BYTES = 24;
/** Shortest admin password production accepts. */
export const MIN_ADMIN_PASSWORD_LENGTH = 16;

/**
 * Why a `whsec_<base64>` secret is too weak for production, or undefined when it is fine: it must decode to at
 * least 24 bytes, and those must not be a short pattern repeated (24 random bytes repeat a value only rarely; a
 * typed or padded secret such as `whsec_AAAA…` repeats one).
 */
export function describeWeakSecret(secret: string): string | undefined {
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64');
  if (bytes.length < MIN_SECRET_BYTES) {
    return `each secret must decode to at least ${MIN_SECRET_BYTES} random bytes in production (one has ${bytes.length}); generate one with: echo "whsec_$(openssl rand -base64 32)"`;
  }
  if (new Set(bytes).size < MIN_SECRET_BYTES / 2) {
    return `each secret must be ${MIN_SECRET_BYTES} or more random bytes in production; one repeats a few byte values (typed or padded?); generate one with: echo "whsec_$(openssl rand -base64 32)"`;
  }
  return undefined;
}
