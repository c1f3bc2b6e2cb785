import { type DeniedWrites, isWriteForbidden, judgeAuthRefusal } from './permission-failures.js';
import type { PersonSyncFailure } from './person-sync-result.js';

/** Counts 403s on writes across people and processes (see `DeniedWrites`), with the quarantine threshold. */
export interface PermissionGate {
  denied: DeniedWrites['denied'];
  written: DeniedWrites['written'];
  /** `AUTH_QUARANTINE_AFTER_PEOPLE`. */
  readonly threshold: number;
}

/**
 * A failed person's result, with the quarantine decision for authorization refusals (`judgeAuthRefusal`): a 403
 * on a write fails this person alone until `threshold` different people in a row were refused; then the whole
 * sync stops and its probe re-sends the oldest refused person's write.
 */
export async function withPermissionVerdict(
  gate: PermissionGate | undefined,
  failure: PersonSyncFailure,
  error: unknown,
  externalId: string,
): Promise<PersonSyncFailure> {
  if (failure.quarantine === 'auth') {
    const forbiddenRead = failure.error.code === 'scim_unauthorized' && !isWriteForbidden(error);
    const status = (error as { status?: number }).status;
    failure.quarantineCause = forbiddenRead && status === 403 ? 'read_forbidden' : 'credentials';
    return failure;
  }
  if (!gate || !isWriteForbidden(error)) return failure;
  const people = await gate.denied(externalId);
  const verdict = judgeAuthRefusal(
    { status: 403, method: error.details.method },
    people.length,
    gate.threshold,
  );
  if (verdict.kind !== 'quarantine') return failure;
  const [oldest] = people;
  return {
    ...failure,
    quarantine: 'auth',
    quarantineCause: verdict.cause,
    ...(oldest ? { probeExternalId: oldest } : {}),
  };
}
