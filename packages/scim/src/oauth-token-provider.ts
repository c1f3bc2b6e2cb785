import { redactString } from '@dirsync/core';
import { type HttpAnswer, HttpTransport } from './http-transport.js';
import { OAuthError } from './oauth-error.js';
import { parseRetryAfter } from './retry-after.js';
import { type ScimLogger, silentLogger } from './scim-logger.js';
import { scrubSecrets } from './scrub-secrets.js';

export interface OAuthTokenProviderOptions {
  /** OAuth origin, e.g. `https://login.mypurecloud.com`; the token endpoint is `{loginUrl}/oauth/token`. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** A shared connection pool; one is created (and closed by `close()`) when omitted. */
  transport?: HttpTransport;
  timeoutMs?: number;
  userAgent?: string;
  /** Clock in epoch milliseconds; tests inject one to cross the refresh point without waiting. */
  now?: () => number;
  logger?: ScimLogger;
}

interface CachedToken {
  accessToken: string;
  /** When to stop using it: 30 s before it expires (or halfway through a shorter lifetime). */
  refreshAtMs: number;
}

/** Refresh this long before `expires_in` runs out, so a token never expires in flight. */
const REFRESH_MARGIN_MS = 30_000;
/** When the answer names no lifetime: Genesys's shortest configurable one. */
const DEFAULT_LIFETIME_S = 300;
const TOKEN_PATH = '/oauth/token';

/**
 * OAuth 2.0 client-credentials tokens (Genesys: `POST {login}/oauth/token`, Basic auth, form body), cached until
 * 30 s before expiry. Concurrent callers share one request: at most one refresh is in flight at a time.
 */
export class OAuthTokenProvider {
  private readonly url: string;
  private readonly authorization: string;
  /** Scrubbed from any text the login service sends back. */
  private readonly secrets: readonly string[];
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  private readonly now: () => number;
  private readonly logger: ScimLogger;
  private cached: CachedToken | undefined;
  private inflight: Promise<CachedToken> | undefined;

  constructor(options: OAuthTokenProviderOptions) {
    this.url = `${options.loginUrl.replace(/\/+$/, '')}${TOKEN_PATH}`;
    // Kept only as the header value; never logged, never put in an error.
    this.authorization = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64')}`;
    this.secrets = [options.clientSecret, options.clientId];
    this.ownsTransport = options.transport === undefined;
    this.transport =
      options.transport ??
      new HttpTransport({
        timeoutMs: options.timeoutMs ?? 15_000,
        userAgent: options.userAgent ?? 'dirsync-scim',
      });
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * A valid access token: the cached one, the one being fetched, or a new one. `signal` abandons this caller's
   * wait without cancelling the shared request other callers may be waiting on.
   */
  async getToken(signal?: AbortSignal): Promise<string> {
    const cached = this.cached;
    if (cached && this.now() < cached.refreshAtMs) return cached.accessToken;
    if (!this.inflight) {
      this.inflight = this.fetchToken().finally(() => {
        this.inflight = undefined;
      });
    }
    const token = await abandonOnAbort(this.inflight, signal);
    return token.accessToken;
  }

  /** Forgets `accessToken` if it is the cached one (a 401 said it is no good); the next caller refreshes. */
  invalidate(accessToken: string): void {
    if (this.cached?.accessToken === accessToken) this.cached = undefined;
  }

  /** Closes the connection pool if this provider created it. */
  close(): void {
    if (this.ownsTransport) this.transport.close();
  }

  private async fetchToken(): Promise<CachedToken> {
    const result = await this.transport.send({
      method: 'POST',
      url: this.url,
      headers: {
        Authorization: this.authorization,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    if (!result.ok) {
      const reason =
        result.timedOutAfterMs !== undefined
          ? `timed out after ${result.timedOutAfterMs} ms`
          : redactString(result.message);
      throw new OAuthError(
        'oauth_unavailable',
        `POST ${TOKEN_PATH} got no answer: ${reason} [${result.code}] (login service unreachable; retry with backoff, check GENESYS_LOGIN_URL)`,
        { retryable: true, details: { networkCode: result.code } },
      );
    }
    const token = this.readToken(result.answer);
    this.cached = token;
    this.logger.debug('oauth token obtained', { refreshInMs: token.refreshAtMs - this.now() });
    return token;
  }

  private readToken(answer: HttpAnswer): CachedToken {
    const { status } = answer;
    const body = parseObject(answer.body);
    if (status >= 200 && status < 300) {
      const accessToken = body?.access_token;
      if (typeof accessToken !== 'string' || accessToken === '') {
        throw new OAuthError(
          'oauth_failed',
          `POST ${TOKEN_PATH} answered ${status} without an access_token (check GENESYS_LOGIN_URL)`,
          { status, retryable: false },
        );
      }
      const expiresIn = Number(body?.expires_in);
      const lifetimeMs =
        (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_LIFETIME_S) * 1000;
      return {
        accessToken,
        refreshAtMs: this.now() + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2),
      };
    }
    const oauthCode =
      typeof body?.error === 'string' ? body.error.replace(/[^\w.-]/g, '').slice(0, 64) : undefined;
    const description =
      typeof body?.error_description === 'string'
        ? redactString(scrubSecrets(body.error_description, this.secrets)).slice(0, 200)
        : typeof body?.message === 'string'
          ? redactString(scrubSecrets(body.message, this.secrets)).slice(0, 200)
          : undefined;
    const what = `POST ${TOKEN_PATH} answered ${status}${oauthCode ? ` ${oauthCode}` : ''}${description ? `: ${description}` : ''}`;
    const details = { status, ...(oauthCode ? { error: oauthCode } : {}) };
    if (status === 400 || status === 401 || status === 403) {
      throw new OAuthError(
        'oauth_invalid_client',
        `${what} (the OAuth client credentials were refused; check GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET)`,
        { status, retryable: false, details },
      );
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], this.now()) ?? 3000;
      throw new OAuthError('oauth_rate_limited', `${what} (rate limited; retry later)`, {
        status,
        retryAfterMs,
        retryable: true,
        details: { ...details, retryAfterMs },
      });
    }
    if (status >= 500) {
      throw new OAuthError('oauth_unavailable', `${what} (login service failing; retry with backoff)`, {
        status,
        retryable: true,
        details,
      });
    }
    throw new OAuthError('oauth_failed', `${what} (unexpected answer; check GENESYS_LOGIN_URL)`, {
      status,
      retryable: false,
      details,
    });
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Waits for `promise`, or rejects with `signal.reason` as soon as `signal` aborts (the promise keeps running). */
function abandonOnAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
