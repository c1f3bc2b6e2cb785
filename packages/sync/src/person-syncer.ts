import { DirsyncError, type Logger } from '@dirsync/core';
import type { Discrepancy, Outcome } from '@dirsync/reports';
import { compareUser, diffUser, type PatchOperation, projectOwned, type ScimUser } from '@dirsync/scim';
import { classifyFailure } from './classify-failure.js';
import { ManagerResolver } from './manager-resolver.js';
import { patchUntilTaken } from './patch-loop.js';
import {
  type AssignmentPlan,
  type AssignmentPorts,
  type AssignmentsPolicy,
  PersonAssignments,
} from './person-assignments.js';
import type { PersonState } from './person-state.js';
import type { PersonSyncResult } from './person-sync-result.js';
import { SyncInterruptedError, UserNameTakenError } from './sync-errors.js';
import type {
  ManagerWaitlist,
  PersonReader,
  RequestContext,
  ScimTarget,
  SyncMapping,
  SyncPolicy,
  TargetCachePort,
} from './sync-ports.js';
import type { CachedTarget } from './target-cache.js';
import { TargetCaller, type TargetCallerOptions } from './target-caller.js';
import { type LocatedUser, UserLocator } from './user-locator.js';

export interface PersonSyncerOptions extends TargetCallerOptions, AssignmentPorts {
  target: ScimTarget;
  mapping: SyncMapping;
  policy: SyncPolicy & AssignmentsPolicy;
  cache: TargetCachePort;
  people: PersonReader;
  waitlist: ManagerWaitlist;
  /** externalIds and userNames (compared case-insensitively) that are never deactivated. */
  protectedUsers?: Iterable<string>;
  logger?: Logger;
  /** Re-sends after a version conflict (contract: at most 3). */
  maxConflictResends?: number;
}

type Written = { user?: ScimUser | undefined; version?: string | undefined; scimId?: string | undefined };

function roleNames(user: ScimUser): string[] {
  return (user.roles ?? [])
    .map((r) => r.value)
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
}

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

  constructor(options: PersonSyncerOptions) {
    this.options = options;
    // The sync always owns externalId: it sets it when adopting an existing user.
    this.cachedOwned = [...new Set([...options.mapping.owned, 'externalId'])];
    // Groups, skills and languages are managed-only, written by PersonAssignments rather than the user diff.
    this.owned = PersonAssignments.userOwned(this.cachedOwned);
    this.assignments = new PersonAssignments(this.cachedOwned, options);
    this.protectedUsers = new Set([...(options.protectedUsers ?? [])].map((u) => u.toLowerCase()));
    this.locator = new UserLocator(options);
    this.managers = new ManagerResolver({ ...options, project: (u) => projectOwned(u, this.diffOptions()) });
  }

  async sync(state: PersonState, ctx: RequestContext = {}): Promise<PersonSyncResult> {
    const caller = new TargetCaller(this.options, {
      ...ctx,
      correlationId: ctx.correlationId ?? state.correlationId,
    });
    try {
      return state.active ? await this.upsert(state, caller) : await this.deactivate(state, caller);
    } catch (error) {
      if (isAbort(error, ctx.signal)) throw new SyncInterruptedError(error);
      return classifyFailure(error, state, caller.requests);
    }
  }

  private diffOptions() {
    return { owned: this.owned, managedRoles: this.options.policy.managedRoles };
  }

  private async upsert(state: PersonState, caller: TargetCaller): Promise<PersonSyncResult> {
    const mapped = await this.options.mapping.evaluate(state.data);
    if (!mapped) return this.synced('skipped', caller, []);
    const refused = this.checkPolicy(state, mapped, caller);
    if (refused) return refused;
    const plan = await this.assignments.plan(state, mapped, caller.context.correlationId ?? '');
    if ('kind' in plan) return { ...plan, requests: caller.requests };
    const write = () => this.writeUser(state, plan, caller);
    return this.assignments.write(plan, write, state.externalId, this.options.target, caller);
  }

  private async writeUser(state: PersonState, plan: AssignmentPlan, caller: TargetCaller) {
    const externalId = state.externalId;
    const desired: ScimUser = structuredClone(plan.user);
    desired.externalId = externalId;
    await this.managers.resolve(desired, externalId, caller);

    const cached = await this.options.cache.get(externalId);
    let located: LocatedUser | undefined = await this.locator.locate(state, cached, caller);
    if (!located) {
      const created = await this.locator.createOrAdopt(desired, externalId, caller);
      if (created.kind === 'created')
        return this.finishWrite(state, desired, 'created', created, caller, true);
      located = created.located;
    }
    // Known for the first time (looked up or adopted): this person may be a manager others wait for.
    const newlyKnown = !cached || located.user.externalId !== externalId;
    const patched = await this.patch(located, caller, (current) => {
      const ops = [...diffUser(current, desired, this.diffOptions()), ...plan.routing.operations(current)];
      if (current.active === false) ops.push({ op: 'replace', path: 'active', value: true });
      return ops;
    });
    if (patched.kind === 'gone') {
      await this.options.cache.drop(externalId);
      const created = await this.locator.createOrAdopt(desired, externalId, caller);
      if (created.kind === 'adopt')
        throw new UserNameTakenError('the user vanished and its userName is now taken');
      return this.finishWrite(state, desired, 'created', created, caller, true);
    }
    if (patched.kind === 'unchanged') {
      await this.remember(externalId, {
        scimId: located.scimId,
        version: patched.version,
        user: patched.user,
      });
      const resync = await this.releaseWaiters(externalId, newlyKnown);
      return this.synced('unchanged', caller, [], located.scimId, resync);
    }
    const outcome = patched.wasInactive ? 'reactivated' : 'updated';
    const written = { ...patched, scimId: located.scimId };
    return this.finishWrite(state, desired, outcome, written, caller, newlyKnown);
  }

  /** A refusal by the role policy, or undefined when the roles are allowed. */
  private checkPolicy(
    state: PersonState,
    mapped: ScimUser,
    caller: TargetCaller,
  ): PersonSyncResult | undefined {
    const decision = this.options.policy.evaluate({
      externalId: state.externalId,
      departmentCode: state.data.departmentCode,
      roles: roleNames(mapped),
    });
    if (decision.allowed) return undefined;
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

  private patch(
    located: LocatedUser,
    caller: TargetCaller,
    computeOps: (current: ScimUser) => PatchOperation[],
  ) {
    const { target, cache } = this.options;
    const maxResends = this.options.maxConflictResends ?? 3;
    return patchUntilTaken({ target, cache, caller, located, maxResends, computeOps });
  }

  /** After a write: compares what the target answered with what was sent, remembers it, reports. */
  private async finishWrite(
    state: PersonState,
    desired: ScimUser,
    outcome: Outcome,
    written: Written,
    caller: TargetCaller,
    newlyKnown: boolean,
  ): Promise<PersonSyncResult> {
    const externalId = state.externalId;
    const scimId = written.scimId ?? (written.user?.id as string);
    const mismatches = written.user ? compareUser(written.user, desired, this.diffOptions()) : [];
    const discrepancies: Discrepancy[] = mismatches.map((m) => ({
      externalId,
      scimId,
      correlationId: state.correlationId,
      type: 'attribute_mismatch',
      field: m.field,
      expected: m.expected,
      actual: m.actual,
      detail: `after the write the target holds a different ${m.field} than was sent`,
    }));
    await this.remember(externalId, { scimId, version: written.version, user: written.user });
    const resync = await this.releaseWaiters(externalId, newlyKnown);
    return this.synced(outcome, caller, discrepancies, scimId, resync);
  }

  /** A person newly known in the target may be the manager others wait for. */
  private async releaseWaiters(externalId: string, newlyKnown: boolean): Promise<string[]> {
    return newlyKnown ? this.options.waitlist.releaseManagerWaiters(externalId) : [];
  }

  private async deactivate(state: PersonState, caller: TargetCaller): Promise<PersonSyncResult> {
    const externalId = state.externalId;
    const cached = await this.options.cache.get(externalId);
    const names = [externalId, state.data.workEmail, cached?.user?.userName].filter(
      (n): n is string => typeof n === 'string',
    );
    if (names.some((n) => this.protectedUsers.has(n.toLowerCase()))) {
      return this.synced('skipped', caller, [
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
    const located = await this.locator.locate(state, cached, caller);
    if (!located) return this.synced('unchanged', caller, []);
    const patched = await this.patch(located, caller, (current) =>
      current.active === false ? [] : [{ op: 'replace', path: 'active', value: false }],
    );
    if (patched.kind === 'gone') {
      await this.options.cache.drop(externalId);
      return this.synced('unchanged', caller, []);
    }
    await this.remember(externalId, { scimId: located.scimId, version: patched.version, user: patched.user });
    await this.assignments.afterDeactivation(externalId, located.scimId, this.options.target, caller);
    if (patched.kind === 'unchanged') return this.synced('unchanged', caller, [], located.scimId);
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
    return this.synced('deactivated', caller, discrepancies, located.scimId);
  }

  private async remember(externalId: string, entry: Written & { scimId: string }): Promise<void> {
    const cached: CachedTarget = { scimId: entry.scimId, syncedAt: Date.now() };
    if (entry.version !== undefined) cached.version = entry.version;
    if (entry.user) {
      cached.user = projectOwned(entry.user, { owned: this.cachedOwned });
      if (entry.user.active !== undefined) cached.user.active = entry.user.active;
    }
    await this.options.cache.set(externalId, cached);
  }

  private synced(
    outcome: Outcome,
    caller: TargetCaller,
    discrepancies: Discrepancy[],
    scimId?: string,
    resync: string[] = [],
  ): PersonSyncResult {
    const result: PersonSyncResult = {
      kind: 'synced',
      outcome,
      discrepancies,
      requests: caller.requests,
      resync,
    };
    if (scimId !== undefined) result.scimId = scimId;
    return result;
  }
}
