import { DirsyncError } from '@dirsync/core';

/**
 * What went wrong with a SCIM request, and so what can help:
 * - `rate_limited` (429): wait `retryAfterMs`, then retry.
 * - `version_conflict` (400 `invalidVers`, 412, a non-`uniqueness` 409 on PATCH): re-read, re-diff, re-send.
 * - `uniqueness` (409 `uniqueness`): a unique value (userName) belongs to someone else; retrying cannot help.
 * - `not_found` (404): drop the cached id and look the user up again.
 * - `unauthorized` (401 after one token refresh, 403): the OAuth client's credentials or roles need fixing.
 * - `server_error` (5xx): retry with backoff.
 * - `bad_request` (other 4xx, unexpected redirects): the request is wrong; retrying the same request cannot help.
 * - `invalid_response` (a 2xx whose body is not the expected SCIM JSON): usually a wrong base URL or path.
 * - `network` (no response: timeout, reset, refused): retry with backoff.
 */
export type ScimErrorKind =
  | 'rate_limited'
  | 'version_conflict'
  | 'uniqueness'
  | 'not_found'
  | 'unauthorized'
  | 'server_error'
  | 'bad_request'
  | 'invalid_response'
  | 'network';

/** Safe facts about a failed SCIM request: no headers, no bodies, no credentials. */
export interface ScimErrorDetails {
  method: string;
  /** Low-cardinality route, e.g. `PATCH /Users/:id`. */
  route: string;
  status?: number;
  scimType?: string;
  /** The target's own explanation, redacted. */
  detail?: string;
  retryAfterMs?: number;
  correlationId?: string;
  /** The target's own id for the request (Genesys: `ININ-Correlation-Id`), for its support. */
  targetCorrelationId?: string;
  /** The SCIM id in the URL, when there was one. */
  scimId?: string;
  /** The network error code (`ECONNRESET`, `ETIMEDOUT`, …) when there was no response. */
  networkCode?: string;
}

/** A SCIM request failed. `kind` says what happened; `retryable` whether sending it again can help. */
export class ScimError extends DirsyncError {
  readonly kind: ScimErrorKind;
  /** HTTP status, or undefined when no response arrived. */
  readonly status: number | undefined;
  readonly scimType: string | undefined;
  readonly detail: string | undefined;
  /** How long to wait before retrying (from `Retry-After`; 3000 ms for a 429 without one). */
  readonly retryAfterMs: number | undefined;
  /** The target's own id for the failed request (Genesys: `ININ-Correlation-Id`); undefined without an answer. */
  readonly targetCorrelationId: string | undefined;
  declare readonly details: ScimErrorDetails;

  constructor(
    kind: ScimErrorKind,
    message: string,
    details: ScimErrorDetails,
    options: { cause?: unknown } = {},
  ) {
    super(`scim_${kind}`, message, {
      details,
      retryable: RETRYABLE.has(kind),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.kind = kind;
    this.status = details.status;
    this.scimType = details.scimType;
    this.detail = details.detail;
    this.retryAfterMs = details.retryAfterMs;
    this.targetCorrelationId = details.targetCorrelationId;
  }
}

/**
 * Kinds where sending again can help. `version_conflict` counts: the caller re-reads and re-sends (a bounded number
 * of times); `unauthorized` does not, because the client already refreshed its token once.
 */
const RETRYABLE: ReadonlySet<ScimErrorKind> = new Set([
  'rate_limited',
  'version_conflict',
  'server_error',
  'network',
]);
