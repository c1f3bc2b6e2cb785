import { isUtf8 } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ApiError } from './api-error.js';

/** Standard Webhooks' tolerance for the `webhook-timestamp` header, either way. */
const TOLERANCE_SECONDS = 5 * 60;
const PREFIX = 'whsec_';

/**
 * Standard Webhooks verification (`webhook-id`, `webhook-timestamp`, `webhook-signature`; HMAC-SHA256 over
 * "id.timestamp.body"; 5-minute tolerance). Several secrets may be active during a rotation: any one verifies.
 * The reference library accepts and rejects exactly the same deliveries, with the same reasons, but hashes in pure
 * JavaScript; this runs the same HMAC through node:crypto (a test holds the two to the same answers).
 */
export class SignatureVerifier {
  private readonly keys: Buffer[];

  constructor(secrets: readonly string[]) {
    this.keys = secrets.map((secret) => {
      // The reference library checks the secret (base64 after the prefix, not empty) and throws its own errors.
      new Webhook(secret);
      return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
    });
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** Throws a 401 ApiError unless one secret verifies the raw body and headers. */
  verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): void {
    if (!this.enabled) return;
    const reason = this.rejection(rawBody, headers);
    if (reason === undefined) return;
    throw new ApiError(401, 'invalid_signature', `webhook signature rejected: ${reason.toLowerCase()}`);
  }

  /** Why the delivery fails verification (the reference library's words), or undefined when it passes. */
  private rejection(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): string | undefined {
    const id = headers['webhook-id'];
    const stamp = headers['webhook-timestamp'];
    const signatures = headers['webhook-signature'];
    if (typeof id !== 'string' || typeof stamp !== 'string' || typeof signatures !== 'string') {
      return 'Missing required headers';
    }
    if (!id || !stamp || !signatures) return 'Missing required headers';
    const timestamp = Number.parseInt(stamp, 10);
    if (Number.isNaN(timestamp)) return 'Invalid Signature Headers';
    const now = Math.floor(Date.now() / 1000);
    if (now - timestamp > TOLERANCE_SECONDS) return 'Message timestamp too old';
    if (timestamp > now + TOLERANCE_SECONDS) return 'Message timestamp too new';
    // The library signs the body as text: bytes that are not UTF-8 count as the replacement characters it decodes.
    const body = isUtf8(rawBody) ? rawBody : Buffer.from(rawBody.toString());
    const offered = signatures
      .split(' ')
      .map((versioned) => versioned.split(','))
      .filter(([version, signature]) => version === 'v1' && signature !== undefined)
      .map(([, signature]) => Buffer.from(signature as string));
    for (const key of this.keys) {
      const expected = Buffer.from(
        createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64'),
      );
      if (offered.some((s) => s.length === expected.length && timingSafeEqual(s, expected))) return undefined;
    }
    return 'No matching signature found';
  }
}
