import { DirsyncError } from '@dirsync/core';
import type { Discrepancy } from '@dirsync/reports';
import { OAuthError, ScimError } from '@dirsync/scim';
import { isWriteForbidden } from './permission-failures.js';
import type { PersonState } from './person-state.js';
import type { PersonSyncFailure } from './person-sync-result.js';
import { ConflictExhaustedError } from './sync-errors.js';

/**
 * Turns what a person's sync threw into a failure that says whether a retry can help and whether the whole sync
 * must stop (refused credentials refuse everyone).
 */
export function classifyFailure(error: unknown, state: PersonState, requests: number): PersonSyncFailure {
  const base = { externalId: state.externalId, correlationId: state.correlationId };
  const failure = (known: DirsyncError, retryable: boolean): PersonSyncFailure => ({
    kind: 'failed',
    retryable,
    error: known,
    requests,
    discrepancies: [{ ...base, type: 'sync_failure', detail: known.message }],
  });
  if (error instanceof ConflictExhaustedError) {
    return {
      ...failure(error, true),
      discrepancies: [{ ...base, type: 'conflict_exhausted', detail: error.message }],
    };
  }
  if (isWriteForbidden(error)) {
    // One person's refusal (a division without a grant) fails that person at once, as a failed person job an
    // operator retries once the grant is fixed; re-sending it within the batch cannot help. See permission-failures.ts.
    const denied: Discrepancy = { ...base, type: 'permission_denied', detail: error.detail ?? error.message };
    if (error.targetCorrelationId) denied.targetCorrelationId = error.targetCorrelationId;
    return { ...failure(error, false), discrepancies: [denied] };
  }
  if (error instanceof ScimError) {
    const result = failure(
      error,
      error.retryable || error.kind === 'version_conflict' || error.kind === 'not_found',
    );
    if (error.targetCorrelationId)
      for (const d of result.discrepancies) d.targetCorrelationId = error.targetCorrelationId;
    if (error.kind === 'unauthorized') result.quarantine = 'auth';
    return result;
  }
  if (error instanceof OAuthError && !error.retryable)
    return { ...failure(error, false), quarantine: 'auth' };
  if (error instanceof DirsyncError) return failure(error, error.retryable);
  // Anything else (Redis unreachable, a bug): keep the person pending and let the job retry.
  const wrapped = new DirsyncError('sync_error', error instanceof Error ? error.message : String(error), {
    cause: error,
    retryable: true,
  });
  return failure(wrapped, true);
}
