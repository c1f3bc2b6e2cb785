import { redactString } from '@dirsync/core';
import { parseRetryAfter } from './retry-after.js';
import { ScimError, type ScimErrorDetails, type ScimErrorKind } from './scim-error.js';
import { scrubSecrets } from './scrub-secrets.js';
import { readTargetCorrelationId } from './target-correlation.js';

/** Genesys's .NET SDK waits 3 s on a 429 that names no delay; so do we. */
export const DEFAULT_RATE_LIMIT_DELAY_MS = 3000;
const MAX_DETAIL_LENGTH = 300;

/** Which request failed; only ids and labels, never headers or bodies. */
export interface RequestLabel {
  method: string;
  route: string;
  scimId?: string;
  correlationId?: string;
}

/** Pulls `scimType` and `detail` out of a SCIM error body (or a Genesys `{ message }` body), redacted. */
export function readErrorBody(
  body: unknown,
  secrets: readonly string[] = [],
): { scimType?: string; detail?: string } {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return {};
    }
  }
  if (parsed === null || typeof parsed !== 'object') return {};
  const record = parsed as Record<string, unknown>;
  const out: { scimType?: string; detail?: string } = {};
  if (typeof record.scimType === 'string' && record.scimType !== '') out.scimType = record.scimType;
  const text = typeof record.detail === 'string' ? record.detail : record.message;
  if (typeof text === 'string' && text.trim() !== '') {
    const clean = redactString(scrubSecrets(text.trim(), secrets));
    out.detail = clean.length > MAX_DETAIL_LENGTH ? `${clean.slice(0, MAX_DETAIL_LENGTH)}…` : clean;
  }
  return out;
}

function classify(status: number, method: string, scimType: string | undefined): ScimErrorKind {
  if (scimType === 'uniqueness' && (status === 409 || status === 400)) return 'uniqueness';
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 412) return 'version_conflict';
  if (status === 400 && scimType === 'invalidVers') return 'version_conflict';
  // A create has no version to conflict with: a 409 there is a duplicate, whatever its scimType says.
  if (status === 409) return method === 'POST' ? 'uniqueness' : 'version_conflict';
  if (status >= 500) return 'server_error';
  return 'bad_request';
}

function hint(kind: ScimErrorKind, status: number, retryAfterMs: number | undefined): string {
  switch (kind) {
    case 'rate_limited':
      return `rate limited; wait ${Math.ceil((retryAfterMs ?? DEFAULT_RATE_LIMIT_DELAY_MS) / 1000)} s before the next request`;
    case 'version_conflict':
      return 'version conflict; re-read and re-send';
    case 'uniqueness':
      return 'a unique attribute such as userName already belongs to another user; retrying will not help';
    case 'not_found':
      return 'no such user; drop any cached id and look the user up again';
    case 'unauthorized':
      return status === 403
        ? 'the OAuth client lacks a permission for this request; grant its role the directory/authorization permissions'
        : 'the access token was refused even after a refresh; check the OAuth client (GENESYS_CLIENT_ID/SECRET)';
    case 'server_error':
      return 'the target failed; retry with backoff';
    case 'bad_request':
      return status >= 300 && status < 400
        ? 'unexpected redirect; check GENESYS_BASE_URL and SCIM_BASE_PATH'
        : 'the target refused the request; sending it again unchanged will not help';
    default:
      return 'unexpected answer';
  }
}

function baseDetails(label: RequestLabel): ScimErrorDetails {
  const details: ScimErrorDetails = { method: label.method, route: label.route };
  if (label.scimId !== undefined) details.scimId = label.scimId;
  if (label.correlationId !== undefined) details.correlationId = label.correlationId;
  return details;
}

/** Maps a non-2xx SCIM answer to a `ScimError` of the right kind. */
export function scimErrorFromResponse(
  label: RequestLabel,
  response: { status: number; headers: Record<string, unknown>; body: unknown },
  nowMs: number,
  secrets: readonly string[] = [],
): ScimError {
  const { status } = response;
  const { scimType, detail } = readErrorBody(response.body, secrets);
  const kind = classify(status, label.method, scimType);
  let retryAfterMs = parseRetryAfter(response.headers['retry-after'], nowMs);
  if (kind === 'rate_limited' && retryAfterMs === undefined) retryAfterMs = DEFAULT_RATE_LIMIT_DELAY_MS;
  const details = baseDetails(label);
  details.status = status;
  const targetCorrelationId = readTargetCorrelationId(response.headers);
  if (targetCorrelationId !== undefined) details.targetCorrelationId = targetCorrelationId;
  if (scimType !== undefined) details.scimType = scimType;
  if (detail !== undefined) details.detail = detail;
  if (retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
  const what = `${label.route} answered ${status}${scimType ? ` ${scimType}` : ''}`;
  const message = `${what}${detail ? `: ${detail}` : ''} (${hint(kind, status, retryAfterMs)})`;
  return new ScimError(kind, message, details);
}

/** Maps a 2xx answer whose body is not the expected SCIM JSON. */
export function invalidResponseError(
  label: RequestLabel,
  answer: { status: number; headers: Record<string, unknown> },
  what: string,
): ScimError {
  const { status } = answer;
  const details = baseDetails(label);
  details.status = status;
  const targetCorrelationId = readTargetCorrelationId(answer.headers);
  if (targetCorrelationId !== undefined) details.targetCorrelationId = targetCorrelationId;
  return new ScimError(
    'invalid_response',
    `${label.route} answered ${status} with ${what} (check GENESYS_BASE_URL and SCIM_BASE_PATH)`,
    details,
  );
}

/**
 * Maps a request that got no answer (timeout, reset, refused). Only the network code and a redacted message are
 * kept: the transport never hands over the axios error, which carries the request config, headers included.
 */
export function scimNetworkError(
  label: RequestLabel,
  failure: { code: string; message: string; timedOutAfterMs?: number },
): ScimError {
  const reason =
    failure.timedOutAfterMs !== undefined
      ? `timed out after ${failure.timedOutAfterMs} ms`
      : redactString(failure.message);
  const details = baseDetails(label);
  details.networkCode = failure.code;
  const cause = Object.assign(new Error(reason), { code: failure.code });
  return new ScimError(
    'network',
    `${label.route} got no answer: ${reason} [${failure.code}] (network problem; retry with backoff)`,
    details,
    { cause },
  );
}
