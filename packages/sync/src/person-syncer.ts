import type { Discrepancy, Outcome } from '@dirsync/reports';
import { type PatchOperation, parseOwnedPath, projectOwned, type ScimUser } from '@dirsync/scim';
import { AttributeGuard, type AttributeGuardOptions } from './attribute-guard.js';
import { classifyFailure } from './classify-failure.js';
import { compareAfterWrite } from './compare-after-write.js';
import { createKeepingRefused } from './create-keeping-refused.js';
import { deactivatePerson } from './deactivate-person.js';
import { ManagerResolver } from './manager-resolver.js';
import { handleOutOfScope } from './out-of-scope.js';
import { patchUntilTaken } from './patch-loop.js';
import { withPermissionVerdict } from './permission-gate.js';
import { type AssignmentPlan, PersonAssignments } from './person-assignments.js';
import type { PersonState } from './person-state.js';
import { type PersonSyncResult, syncedResult } from './person-sync-result.js';
import type { PersonSyncerOptions } from './person-syncer-options.js';
import { FORGETFUL_REFUSALS } from './refusal-store.js';
import { parkOps, RenameCoordinator } from './rename-coordinator.js';
import { RenameBlockedError } from './rename-errors.js';
import { checkRoles } from './role-check.js';
import { GENESYS_USER_URN } from './routing-skills.js';
import { SyncInterruptedError, UserNameTakenError } from './sync-errors.js';
import type { RequestContext, SyncOptions } from './sync-ports.js';
import type { TargetBaseline } from './target-baseline.js';
import { cacheEntry } from './target-cache.js';
import { TargetCaller } from './target-caller.js';
import { type LocatedUser, UserLocator } from './user-locator.js';

export type { PersonSyncerOptions } from './person-syncer-options.js';

type Written = { user?: ScimUser; version?: string; scimId?: string; baseline?: TargetBaseline | undefined };

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/**
 * Syncs one person's newest HR state to the target with the fewest requests: a cached id and version make a warm
 * update one PATCH with `If-Match`; only attributes that differ are sent; nothing differs, nothing is written.
 * Never throws for a person's failure: the result says whether a retry can help.
 */
export class PersonSyncer {
  private readonly options: PersonSyncerOptions;
  private readonly owned: string[];
  private readonly cachedOwned: string[];
  private readonly assignments: PersonAssignments;
  private readonly protectedUsers: Set<string>;
  private readonly locator: UserLocator;
  private readonly managers: ManagerResolver;
  private readonly renames: RenameCoordinator;

  constructor(options: PersonSyncerOptions) {
    this.options = options;
    // The sync always owns externalId: it sets it when adopting an existing user.
    this.cachedOwned = [...new Set([...options.mapping.owned, 'externalId'])];
    // Groups, skills and languages are managed-only, written by PersonAssignments rather than the user diff.
    this.owned = PersonAssignments.userOwned(this.cachedOwned);
    this.assignments = new PersonAssignments(this.cachedOwned, options);
    this.protectedUsers = new Set([...(options.protectedUsers ?? [])].map((u) => u.toLowerCase()));
    this.locator = new UserLocator(options);
    this.managers = new ManagerResolver({
      ...options,
      now: options.now ?? Date.now,
      project: (u) => projectOwned(u, this.diffOptions()),
    });
    this.renames = new RenameCoordinator(options);
  }

  async sync(state: PersonState, ctx: RequestContext = {}, how: SyncOptions = {}): Promise<PersonSyncResult> {
    const caller = new TargetCaller(this.options, {
      ...ctx,
      correlationId: ctx.correlationId ?? state.correlationId,
    });
    try {
      const result = await this.dispatch(state, caller, how);
      if (caller.targetCorrelationId) result.targetCorrelationId = caller.targetCorrelationId;
      return result;
    } catch (error) {
      if (isAbort(error, ctx.signal)) throw new SyncInterruptedError(error);
      const failure = classifyFailure(error, state, caller.requests);
      if (caller.targetCorrelationId) failure.targetCorrelationId = caller.targetCorrelationId;
      return withPermissionVerdict(this.options.permissions, failure, error, state.externalId);
    }
  }

  private async dispatch(
    state: PersonState,
    caller: TargetCaller,
    how: SyncOptions,
  ): Promise<PersonSyncResult> {
    if (how.park && state.active) return this.park(state, caller);
    if (state.active) return this.upsert(state, caller, false);
    // A future hire is created (and kept) inactive, roles and all, until the start activates them.
    if (await this.options.prehires?.isPrehire(state.externalId)) return this.upsert(state, caller, true);
    return this.deactivate(state, caller);
  }

  private diffOptions() {
    return { owned: this.owned, managedRoles: this.options.policy.managedRoles };
  }

  private guardOptions(): AttributeGuardOptions {
    const { refusals, phoneRegion, hrFieldOf } = this.options;
    return { ...this.diffOptions(), refusals: refusals ?? FORGETFUL_REFUSALS, phoneRegion, hrFieldOf };
  }

  private async upsert(
    state: PersonState,
    caller: TargetCaller,
    prehire: boolean,
  ): Promise<PersonSyncResult> {
    const externalId = state.externalId;
    const mapped = await this.options.mapping.evaluate(state.data);
    if (!mapped) return this.outOfScope(state, caller);
    caller.context.onMapped?.(mapped);
    const decision = checkRoles(this.options.policy, state, mapped, caller);
    if (decision.kind !== 'allowed') return decision;

    const plan = await this.assignments.plan(state, mapped, caller.context.correlationId ?? '');
    if ('kind' in plan) return { ...plan, requests: caller.requests };
    const resolved: ScimUser = structuredClone(plan.user);
    resolved.externalId = externalId;
    if (prehire) resolved.active = false;
    // Granted as the policy spells the role; the diff keeps the target's own spelling where it has the role.
    if (resolved.roles) resolved.roles = decision.roles.map((value) => ({ value }));
    const notes = await this.managers.resolve(resolved, externalId, caller);
    const subject = { externalId, correlationId: state.correlationId };
    const guard = await AttributeGuard.open(this.guardOptions(), subject, resolved);
    guard.routingForCreate = () => plan.user[GENESYS_USER_URN];
    const write = () => this.write(state, guard, plan, caller);
    const renamed = () =>
      write().catch((error: unknown) => this.renames.afterConflict(error, guard.desired, caller, write));
    const result = await this.assignments.write(plan, renamed, externalId, this.options.target, caller);
    result.discrepancies.unshift(...notes);
    return result;
  }

  /** Creates, adopts or PATCHes the person's user into what the guard lets through. */
  private async write(
    state: PersonState,
    guard: AttributeGuard,
    plan: AssignmentPlan,
    caller: TargetCaller,
  ): Promise<PersonSyncResult> {
    const externalId = state.externalId;
    const cached = await this.options.cache.get(externalId);
    let located: LocatedUser | undefined = await this.locator.locate(state, cached, caller);
    let created = false;
    if (!located) {
      const made = await createKeepingRefused(this.locator, guard, externalId, caller);
      await guard.refused(made.refused);
      if (made.kind === 'created' && !made.partial)
        return this.finishWrite(state, guard, 'created', made, caller, true);
      located =
        made.kind === 'adopt'
          ? made.located
          : { scimId: made.user.id as string, version: made.version, user: made.user, fromCache: false };
      created = made.kind === 'created';
    }
    // Known for the first time (looked up or adopted): this person may be a manager others wait for.
    const newlyKnown = !cached || created || located.user.externalId !== externalId;
    const patched = await this.patch(located, caller, (current) => {
      const ops = [...guard.opsFor(current, cached?.baseline), ...plan.routing.operations(current)];
      // A pre-hire stays inactive until the start (desired.active false); anyone else inactive is reactivated.
      if (current.active === false && guard.desired.active !== false)
        ops.push({ op: 'replace', path: 'active', value: true });
      return ops;
    });
    if (patched.kind === 'gone') {
      await this.options.cache.drop(externalId);
      const made = await this.locator.createOrAdopt(guard.createBody(), externalId, caller);
      if (made.kind === 'adopt')
        throw new UserNameTakenError('the user vanished and its userName is now taken');
      return this.finishWrite(state, guard, 'created', made, caller, true);
    }
    if (patched.kind === 'unchanged' || !patched.taken) {
      if (patched.kind === 'written') await guard.refused(patched.refused, located.scimId);
      const user = patched.kind === 'unchanged' ? patched.user : located.user;
      const version = patched.kind === 'unchanged' ? patched.version : located.version;
      await this.remember(externalId, { scimId: located.scimId, version, user, baseline: cached?.baseline });
      const resync = await this.releaseWaiters(externalId, newlyKnown);
      const outcome = created ? 'created' : 'unchanged';
      return this.synced(outcome, caller, guard.discrepancies, located.scimId, resync);
    }
    await guard.refused(patched.refused, located.scimId);
    const outcome = created ? 'created' : patched.wasInactive ? 'reactivated' : 'updated';
    const written = { ...patched, scimId: located.scimId };
    return this.finishWrite(state, guard, outcome, written, caller, newlyKnown);
  }

  private patch(
    located: LocatedUser,
    caller: TargetCaller,
    computeOps: (current: ScimUser) => PatchOperation[],
  ) {
    const { target, cache } = this.options;
    const maxResends = this.options.maxConflictResends ?? 3;
    const fields = this.owned.map((raw) => parseOwnedPath(raw));
    return patchUntilTaken({ target, cache, caller, located, maxResends, computeOps, fields });
  }

  /** After a write: compares what the target answered with what was sent, remembers it, reports. */
  private async finishWrite(
    state: PersonState,
    guard: AttributeGuard,
    outcome: Outcome,
    written: Written,
    caller: TargetCaller,
    newlyKnown: boolean,
  ): Promise<PersonSyncResult> {
    const externalId = state.externalId;
    const scimId = written.scimId ?? (written.user?.id as string);
    await this.options.permissions?.written();
    const subject = { externalId, scimId, correlationId: state.correlationId };
    const { discrepancies, baseline } = compareAfterWrite(written.user, guard, subject);
    if (baseline) written.baseline = baseline;
    await this.remember(externalId, { ...written, scimId });
    const resync = await this.releaseWaiters(externalId, newlyKnown);
    return this.synced(outcome, caller, [...guard.discrepancies, ...discrepancies], scimId, resync);
  }

  /** A person newly known in the target may be the manager others wait for. */
  private async releaseWaiters(externalId: string, newlyKnown: boolean): Promise<string[]> {
    return newlyKnown ? this.options.waitlist.releaseManagerWaiters(externalId) : [];
  }

  /** Record no longer maps: never synced, skipped; synced before, per OUT_OF_SCOPE (deactivated as a leaver). */
  private async outOfScope(state: PersonState, caller: TargetCaller): Promise<PersonSyncResult> {
    return handleOutOfScope(state, {
      cache: this.options.cache,
      notes: this.options.notes,
      mode: this.options.outOfScope ?? 'deactivate',
      deactivate: () => this.deactivate({ ...state, active: false }, caller),
      skip: (notes) => this.synced('skipped', caller, notes),
    });
  }

  /** Steps aside to a unique temporary userName so a cycle of renames can go round; the rename itself follows. */
  private async park(state: PersonState, caller: TargetCaller): Promise<never> {
    const located = await this.locator.locate(state, await this.options.cache.get(state.externalId), caller);
    if (located) {
      const patched = await this.patch(located, caller, (current) => parkOps(current, located.scimId));
      if (patched.kind !== 'gone')
        await this.remember(state.externalId, { ...patched, scimId: located.scimId });
    }
    throw new RenameBlockedError(undefined);
  }

  private deactivate(state: PersonState, caller: TargetCaller): Promise<PersonSyncResult> {
    return deactivatePerson(state, caller, {
      cache: this.options.cache,
      protectedUsers: this.protectedUsers,
      locate: (cached) => this.locator.locate(state, cached, caller),
      patch: (located, ops) => this.patch(located, caller, ops),
      remember: (entry) => this.remember(state.externalId, entry),
      synced: (outcome, discrepancies, scimId) => this.synced(outcome, caller, discrepancies, scimId),
      afterDeactivation: (scimId) =>
        this.assignments.afterDeactivation(state.externalId, scimId, this.options.target, caller),
    });
  }

  private async remember(externalId: string, entry: Written & { scimId: string }): Promise<void> {
    await this.options.cache.set(
      externalId,
      cacheEntry(entry, (u) => projectOwned(u, { owned: this.cachedOwned })),
    );
  }

  private synced(
    outcome: Outcome,
    caller: TargetCaller,
    discrepancies: Discrepancy[],
    scimId?: string,
    resync: string[] = [],
  ): PersonSyncResult {
    return syncedResult({ outcome, discrepancies, requests: caller.requests, resync, scimId });
  }
}
