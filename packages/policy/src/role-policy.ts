import { AssignmentPolicy, type AssignmentRequest, type AssignmentViolation } from './assignment-policy.js';
import { type PolicyDefinitionInput, validatePolicyDefinition } from './policy-definition.js';
import { PolicyViolation, type RoleViolation } from './policy-violation.js';
import { RoleNameSet } from './role-name-set.js';

/** The roles HR asks for one person, and the department that decides them. */
export interface RoleRequest {
  externalId: string;
  departmentCode?: string | null | undefined;
  roles: readonly string[];
}

/**
 * The policy's verdict on one {@link RoleRequest}. When allowed, `roles` are the requested roles as the policy
 * spells them (a request for `Agent` where the policy says `agent` yields `agent`), each once, in request order.
 */
export type PolicyDecision =
  | { allowed: true; roles: string[] }
  | { allowed: false; violations: RoleViolation[] };

/** Shown in messages for a record without a department. */
const NO_DEPARTMENT = '(none)';

/**
 * Which roles each department may hold (keyed by the HR `departmentCode`, case-sensitive, as HR sends it) and
 * which roles dirsync manages. Role names match case-insensitively, as Genesys matches them. An unknown
 * department, or none, allows no role; asking for no role is always allowed. Built by
 * {@link parsePolicy}/{@link loadPolicy}, or from a definition (validated here too).
 */
export class RolePolicy {
  /** The policy file, for messages. */
  readonly file: string;
  readonly departments: ReadonlyMap<string, readonly string[]>;
  /**
   * Every role the policy names (in any department, plus `managedRoles`): the sync grants and removes only
   * these; other roles (the default employee role, roles granted by hand) are never touched. `has` ignores case
   * (a target's `Agent` is the managed `agent`); iteration gives the policy's spelling.
   */
  readonly managedRoles: RoleNameSet;
  /**
   * Every group the policy names (`managedGroups` and the departments' `groups`): the only groups dirsync ever
   * joins or leaves. Case-insensitive, as Genesys matches group names.
   */
  readonly managedGroups: RoleNameSet;
  /** Every skill the policy names; empty: dirsync manages only the skills it added itself. Exact names. */
  readonly managedSkills: ReadonlySet<string>;
  /** Every language the policy names; empty: dirsync manages only the languages it added itself. Exact names. */
  readonly managedLanguages: ReadonlySet<string>;
  /** Whether a deactivation leaves the managed groups (default: memberships stay, Genesys keeps them for a rehire). */
  readonly leaveGroupsOnDeactivation: boolean;
  private readonly assignments: AssignmentPolicy;

  constructor(definition: PolicyDefinitionInput, options: { file?: string } = {}) {
    this.file = options.file ?? '(inline policy)';
    const valid = validatePolicyDefinition(definition, this.file);
    const rules = Object.entries(valid.departments);
    const entries = rules.map(([department, r]) => [department, Object.freeze([...r.roles])] as const);
    this.departments = new Map(entries);
    this.managedRoles = new RoleNameSet([
      ...entries.flatMap(([, roles]) => roles),
      ...(valid.managedRoles ?? []),
    ]);
    this.managedGroups = new RoleNameSet([
      ...(valid.managedGroups ?? []),
      ...rules.flatMap(([, r]) => r.groups ?? []),
    ]);
    this.managedSkills = new Set([
      ...(valid.managedSkills ?? []),
      ...rules.flatMap(([, r]) => r.skills ?? []),
    ]);
    this.managedLanguages = new Set(valid.managedLanguages ?? []);
    this.leaveGroupsOnDeactivation = valid.leaveGroupsOnDeactivation ?? false;
    this.assignments = new AssignmentPolicy(valid.departments);
  }

  /** The groups and skills of `request` its department may not hold (see {@link AssignmentPolicy}). */
  evaluateAssignments(request: AssignmentRequest): AssignmentViolation[] {
    return this.assignments.evaluate(request);
  }

  /** The roles `departmentCode` may hold; none for an unknown or missing department. */
  allowedRoles(departmentCode: string | null | undefined): readonly string[] {
    return (departmentCode && this.departments.get(departmentCode)) || [];
  }

  /** The policy's spelling of a role it names, in any case; undefined for a role it does not name. */
  spellingOf(role: string): string | undefined {
    return this.managedRoles.spellingOf(role);
  }

  /**
   * Allowed exactly when every requested role is one the person's department may hold, compared without case;
   * the allowed decision spells the roles as the policy does.
   */
  evaluate(request: RoleRequest): PolicyDecision {
    const code = request.departmentCode;
    const department = typeof code === 'string' && code.trim() !== '' ? code : null;
    const allowed = this.allowedRoles(department);
    const allowedSet = new RoleNameSet(allowed);
    const requested = [...new RoleNameSet(request.roles)];
    const denied = requested.filter((role) => !allowedSet.has(role));
    if (denied.length === 0) {
      return { allowed: true, roles: requested.map((role) => allowedSet.spellingOf(role) ?? role) };
    }
    const shown = `(allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'})`;
    return {
      allowed: false,
      violations: denied.map((role) => ({
        role,
        departmentCode: department,
        allowedRoles: allowed,
        message: `role "${role}" is not allowed for department "${department ?? NO_DEPARTMENT}" ${shown}`,
      })),
    };
  }

  /** Like {@link RolePolicy.evaluate}, but throws a {@link PolicyViolation} when a role is not allowed. */
  assertAllowed(request: RoleRequest): void {
    const decision = this.evaluate(request);
    if (decision.allowed) return;
    const [first, ...rest] = decision.violations;
    if (first) throw new PolicyViolation(request.externalId, [first, ...rest]);
  }
}
