import { DirsyncError } from '@dirsync/core';
import type { Discrepancy } from '@dirsync/reports';
import type { ScimMultiValue, ScimUser } from '@dirsync/scim';
import { RoutingPlan, type RoutingSetup } from './assignment-plan.js';
import { type GroupDirectory, type GroupTarget, isGroupTarget } from './group-directory.js';
import { writeMemberships } from './group-membership-writer.js';
import type { PersonState } from './person-state.js';
import type { PersonSyncFailure, PersonSyncResult } from './person-sync-result.js';
import { NO_ROUTING_MEMORY, type RoutingMemory } from './routing-memory.js';
import { GENESYS_USER_URN, ROUTING_KINDS, type RoutingKind, routingPath } from './routing-skills.js';
import type { TargetCachePort } from './sync-ports.js';
import type { TargetCaller } from './target-caller.js';

/** What the policy says about groups, skills and languages (all optional: a role-only policy manages none). */
export interface AssignmentsPolicy {
  readonly managedGroups?: ReadonlySet<string>;
  readonly managedSkills?: ReadonlySet<string>;
  readonly managedLanguages?: ReadonlySet<string>;
  readonly leaveGroupsOnDeactivation?: boolean;
  evaluateAssignments?(request: {
    departmentCode?: string | null | undefined;
    groups?: readonly string[];
    skills?: readonly string[];
  }): Array<{ field: 'groups' | 'skills'; name: string; message: string; allowedFor: readonly string[] }>;
}

/** The shared parts the engine hands the person syncer for groups, skills and languages. */
export interface AssignmentPorts {
  /** Absent: nothing is remembered (dirsync then manages only skills and languages the policy names). */
  routingMemory?: RoutingMemory | undefined;
  /** Absent: group membership is not managed (a host without /Groups). */
  groupDirectory?: GroupDirectory | undefined;
}

export interface PersonAssignmentsOptions extends AssignmentPorts {
  policy: AssignmentsPolicy;
  cache: TargetCachePort;
}

/** One person's sync of groups, skills and languages, planned before the user write and finished after it. */
export interface AssignmentPlan {
  /** The mapped user without `groups`, with the skills and languages a create would send. */
  user: ScimUser;
  routing: RoutingPlan;
  /** The managed groups HR asks for; undefined when groups are not managed. */
  groups: string[] | undefined;
  /** The memberships as known before the write (a write answered without a body tells none). */
  knownGroups: ScimMultiValue[];
  refusals: Discrepancy[];
}

const GROUPS = 'groups';
const names = (list: unknown): string[] =>
  (Array.isArray(list) ? list : []).flatMap((g: unknown) => {
    const name = typeof g === 'string' ? g : (g as { display?: unknown } | null)?.display;
    return typeof name === 'string' && name.trim() !== '' ? [name.trim()] : [];
  });

/**
 * Group membership, routing skills and languages: the parts of a Genesys agent that are not plain user
 * attributes. Only what the policy manages is ever changed; what an admin set by hand stays.
 */
export class PersonAssignments {
  private readonly kinds: RoutingKind[];
  private readonly groupsOwned: boolean;

  private readonly memory: RoutingMemory;

  /** `owned`: what the mapping owns; `groups` and the routing paths switch each part on. */
  constructor(
    owned: readonly string[],
    private readonly options: PersonAssignmentsOptions,
  ) {
    this.kinds = ROUTING_KINDS.filter((k) => owned.includes(routingPath(k)));
    this.groupsOwned = owned.includes(GROUPS);
    this.memory = options.routingMemory ?? NO_ROUTING_MEMORY;
  }

  /** The owned paths the user diff handles: groups and routing arrays are written here instead. */
  static userOwned(owned: readonly string[]): string[] {
    const special = new Set([GROUPS, ...ROUTING_KINDS.map(routingPath)]);
    return owned.filter((path) => !special.has(path));
  }

  /** Plans the sync, or refuses the person when the policy forbids a group or skill for their department. */
  async plan(
    state: PersonState,
    mapped: ScimUser,
    correlationId: string,
  ): Promise<AssignmentPlan | PersonSyncFailure> {
    const { policy } = this.options;
    const report = (d: Omit<Discrepancy, 'externalId' | 'correlationId'>): Discrepancy => ({
      externalId: state.externalId,
      correlationId,
      ...d,
    });
    const hrGroups = this.groupsOwned ? names(mapped.groups) : [];
    const extension = mapped[GENESYS_USER_URN] as Record<string, unknown> | undefined;
    const skillNames = names(
      (extension?.routingSkills as Array<{ name?: unknown }> | undefined)?.map((s) => s?.name),
    );
    const violations =
      policy.evaluateAssignments?.({
        departmentCode: state.data.departmentCode,
        groups: hrGroups,
        skills: skillNames,
      }) ?? [];
    if (violations.length > 0) {
      const discrepancies = violations.map((v) =>
        report({
          type: 'policy_violation',
          field: v.field,
          expected: v.allowedFor,
          actual: v.name,
          detail: v.message,
        }),
      );
      const error = new DirsyncError('policy_violation', violations.map((v) => v.message).join('; '));
      return { kind: 'failed', retryable: false, error, discrepancies, requests: 0 };
    }
    const managedGroups = policy.managedGroups ?? new Set<string>();
    const refusals: Discrepancy[] = [];
    for (const name of hrGroups.filter((g) => !managedGroups.has(g))) {
      refusals.push(
        report({
          type: 'attribute_refused',
          field: GROUPS,
          hrField: GROUPS,
          expected: name,
          detail: `group "${name}": not managed (the policy does not name it); left alone`,
        }),
      );
    }
    const setups: RoutingSetup[] = this.kinds.map((kind) => ({
      kind,
      raw: extension?.[kind],
      managedByPolicy:
        (kind === 'routingSkills' ? policy.managedSkills : policy.managedLanguages) ?? new Set<string>(),
    }));
    // Redis reads only for the parts the mapping switches on.
    const memory = setups.length > 0 ? await this.memory.get(state.externalId) : { added: {}, refused: {} };
    const routing = new RoutingPlan(setups, memory, report);
    const { groups: _groups, ...user } = mapped;
    const managesGroups = this.groupsOwned && this.options.groupDirectory !== undefined;
    const entry = managesGroups ? await this.options.cache.get(state.externalId) : undefined;
    return {
      // A getter: a refused skill or language leaves the next attempt's create body too.
      get user() {
        return routing.applyToCreate(user);
      },
      knownGroups: (entry?.user?.groups ?? []) as ScimMultiValue[],
      routing,
      groups: managesGroups ? hrGroups.filter((g) => managedGroups.has(g)) : undefined,
      refusals,
    };
  }

  /**
   * Writes the user (`writeUser`), then the memberships. A skill or language the target does not know costs only
   * that entry: it is left out and the user written again.
   */
  async write(
    plan: AssignmentPlan,
    writeUser: () => Promise<PersonSyncResult>,
    externalId: string,
    target: unknown,
    caller: TargetCaller,
  ): Promise<PersonSyncResult> {
    for (;;) {
      try {
        return await this.finish(plan, await writeUser(), externalId, target, caller);
      } catch (error) {
        if (!plan.routing.absorb(error)) throw error;
      }
    }
  }

  /** After the user write: joins and leaves managed groups, remembers routing, adds the refusals to the report. */
  private async finish(
    plan: AssignmentPlan,
    result: PersonSyncResult,
    externalId: string,
    target: unknown,
    caller: TargetCaller,
  ): Promise<PersonSyncResult> {
    if (result.kind !== 'synced' || result.scimId === undefined || result.outcome === 'skipped')
      return result;
    const discrepancies = [...result.discrepancies, ...plan.refusals, ...plan.routing.discrepancies()];
    const remembered = plan.routing.recollection();
    if (remembered) await this.memory.set(externalId, remembered);
    let outcome = result.outcome;
    if (plan.groups !== undefined) {
      const written = await this.writeGroups(
        externalId,
        result.scimId,
        plan.groups,
        target,
        caller,
        plan.knownGroups,
      );
      discrepancies.push(...written.discrepancies);
      if (written.changed && outcome === 'unchanged') outcome = 'updated';
    }
    return { ...result, outcome, discrepancies, requests: caller.requests };
  }

  /** After a deactivation: leaves the managed groups when the policy says so (default: memberships stay). */
  async afterDeactivation(
    externalId: string,
    scimId: string,
    target: unknown,
    caller: TargetCaller,
  ): Promise<void> {
    if (!this.options.policy.leaveGroupsOnDeactivation || !this.groupsOwned) return;
    await this.writeGroups(externalId, scimId, [], target, caller);
  }

  private async writeGroups(
    externalId: string,
    scimId: string,
    wanted: readonly string[],
    target: unknown,
    caller: TargetCaller,
    known: ScimMultiValue[] = [],
  ) {
    const { groupDirectory: directory, cache, policy } = this.options;
    if (!directory || !isGroupTarget(target)) return { changed: false, discrepancies: [] };
    const entry = await cache.get(externalId);
    const current = (entry?.user ? (entry.user.groups ?? []) : known) as ScimMultiValue[];
    const managed = policy.managedGroups ?? new Set<string>();
    const written = await writeMemberships(
      { externalId, scimId, wanted, current, isManaged: (name) => managed.has(name) },
      { directory, target: target as GroupTarget, caller, correlationId: caller.context.correlationId ?? '' },
    );
    if (written.changed && entry?.user) {
      entry.user.groups = written.groups;
      await cache.set(externalId, entry);
    }
    return written;
  }
}
