import { DirsyncError } from '@dirsync/core';
import type { Discrepancy } from '@dirsync/reports';
import type { ScimUser } from '@dirsync/scim';
import type { PersonState } from './person-state.js';
import type { PersonSyncFailure } from './person-sync-result.js';
import type { SyncPolicy } from './sync-ports.js';
import type { TargetCaller } from './target-caller.js';

function roleNames(user: ScimUser): string[] {
  return (user.roles ?? [])
    .map((r) => r.value)
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/**
 * The role policy's verdict on the mapped roles: a refusal (the person is not written; fail closed), or the
 * allowed roles as the policy spells them (`Agent` asked, `agent` granted: names match case-insensitively).
 */
export function checkRoles(
  policy: SyncPolicy,
  state: PersonState,
  mapped: ScimUser,
  caller: TargetCaller,
): PersonSyncFailure | { kind: 'allowed'; roles: string[] } {
  const decision = policy.evaluate({
    externalId: state.externalId,
    departmentCode: state.data.departmentCode,
    roles: roleNames(mapped),
  });
  if (decision.allowed) return { kind: 'allowed', roles: decision.roles };
  const discrepancies: Discrepancy[] = decision.violations.map((v) => ({
    externalId: state.externalId,
    correlationId: caller.context.correlationId ?? '',
    type: 'policy_violation',
    field: 'roles',
    expected: v.allowedRoles,
    actual: v.role,
    detail: v.message,
  }));
  return {
    kind: 'failed',
    retryable: false,
    error: new DirsyncError('policy_violation', decision.violations.map((v) => v.message).join('; ')),
    discrepancies,
    requests: caller.requests,
  };
}
