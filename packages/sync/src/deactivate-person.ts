import type { Discrepancy, Outcome } from '@dirsync/reports';
import type { PatchOperation, ScimUser } from '@dirsync/scim';
import type { PersonState } from './person-state.js';
import type { PersonSyncResult } from './person-sync-result.js';
import type { TargetCachePort } from './sync-ports.js';
import type { CachedTarget } from './target-cache.js';
import type { TargetCaller } from './target-caller.js';
import type { LocatedUser } from './user-locator.js';

/** What a deactivation needs from the person syncer. */
export interface DeactivationSteps {
  cache: TargetCachePort;
  /** externalIds and userNames, lower-cased, that are never deactivated. */
  protectedUsers: ReadonlySet<string>;
  locate(cached: CachedTarget | undefined): Promise<LocatedUser | undefined>;
  patch(
    located: LocatedUser,
    computeOps: (current: ScimUser) => PatchOperation[],
  ): Promise<
    | { kind: 'gone' }
    | { kind: 'unchanged'; user: ScimUser; version?: string | undefined }
    | { kind: 'written'; user?: ScimUser | undefined; version?: string | undefined }
  >;
  remember(entry: { scimId: string; version?: string; user?: ScimUser }): Promise<void>;
  synced(outcome: Outcome, discrepancies: Discrepancy[], scimId?: string): PersonSyncResult;
  /** Group memberships after a deactivation (left as they are unless the policy says otherwise). */
  afterDeactivation(scimId: string): Promise<void>;
}

/**
 * Sets `active=false` on the person's user (one PATCH, none when already inactive or gone). `PROTECTED_USERS` are
 * never deactivated: that is reported and nothing is written.
 */
export async function deactivatePerson(
  state: PersonState,
  _caller: TargetCaller,
  steps: DeactivationSteps,
): Promise<PersonSyncResult> {
  const externalId = state.externalId;
  const cached = await steps.cache.get(externalId);
  const names = [externalId, state.data.workEmail, cached?.user?.userName].filter(
    (n): n is string => typeof n === 'string',
  );
  if (names.some((n) => steps.protectedUsers.has(n.toLowerCase()))) {
    return steps.synced('skipped', [
      {
        externalId,
        scimId: cached?.scimId,
        correlationId: state.correlationId,
        type: 'policy_violation',
        field: 'active',
        expected: true,
        actual: false,
        detail: 'listed in PROTECTED_USERS: never deactivated; the deactivation was not applied',
      },
    ]);
  }
  const located = await steps.locate(cached);
  if (!located) return steps.synced('unchanged', []);
  const patched = await steps.patch(located, (current) =>
    current.active === false ? [] : [{ op: 'replace', path: 'active', value: false }],
  );
  if (patched.kind === 'gone') {
    await steps.cache.drop(externalId);
    return steps.synced('unchanged', []);
  }
  const entry: { scimId: string; version?: string; user?: ScimUser } = { scimId: located.scimId };
  if (patched.version !== undefined) entry.version = patched.version;
  if (patched.user) entry.user = patched.user;
  await steps.remember(entry);
  await steps.afterDeactivation(located.scimId);
  if (patched.kind === 'unchanged') return steps.synced('unchanged', [], located.scimId);
  const discrepancies: Discrepancy[] = [];
  if (patched.user && patched.user.active !== false) {
    discrepancies.push({
      externalId,
      scimId: located.scimId,
      correlationId: state.correlationId,
      type: 'attribute_mismatch',
      field: 'active',
      expected: false,
      actual: patched.user.active,
      detail: 'the target still reports the user active after the deactivation',
    });
  }
  return steps.synced('deactivated', discrepancies, located.scimId);
}
