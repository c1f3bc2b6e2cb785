import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ApiError } from './api-error.js';

/**
 * Standard Webhooks verification (`webhook-id`, `webhook-timestamp`, `webhook-signature`; HMAC-SHA256 over
 * "id.timestamp.body"; 5-minute tolerance). Several secrets may be active during a rotation: any one verifies.
 */
export class SignatureVerifier {
  private readonly hooks: Webhook[];

  constructor(secrets: readonly string[]) {
    this.hooks = secrets.map((s) => new Webhook(s));
  }

  get enabled(): boolean {
    return this.hooks.length > 0;
  }

  /** Throws a 401 ApiError unless one secret verifies the raw body and headers. */
  verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): void {
    if (!this.enabled) return;
    const flat: Record<string, string> = {};
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const value = headers[name];
      if (typeof value === 'string') flat[name] = value;
    }
    let lastReason = 'missing signature headers';
    for (const hook of this.hooks) {
      try {
        hook.verify(rawBody, flat, { jsonParse: false });
        return;
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        lastReason = error.message;
      }
    }
    throw new ApiError(401, 'invalid_signature', `webhook signature rejected: ${lastReason.toLowerCase()}`);
  }
}
