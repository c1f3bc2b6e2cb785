import { DirsyncError } from '@dirsync/core';

/**
 * The OAuth token endpoint refused or failed. Codes: `oauth_invalid_client` (400/401/403: wrong client id or
 * secret, not retryable), `oauth_rate_limited` (429, retryable), `oauth_unavailable` (5xx or no answer,
 * retryable), `oauth_failed` (another answer, not retryable). Never carries the credentials or a token.
 */
export class OAuthError extends DirsyncError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    code: 'oauth_invalid_client' | 'oauth_rate_limited' | 'oauth_unavailable' | 'oauth_failed',
    message: string,
    options: {
      status?: number;
      retryAfterMs?: number;
      retryable: boolean;
      details?: Record<string, unknown>;
    },
  ) {
    super(code, message, { retryable: options.retryable, details: options.details });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
