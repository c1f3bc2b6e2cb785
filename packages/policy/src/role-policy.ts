import { type PolicyDefinition, validatePolicyDefinition } from './policy-definition.js';
import { PolicyViolation, type RoleViolation } from './policy-violation.js';

/** The roles HR asks for one person, and the department that decides them. */
export interface RoleRequest {
  externalId: string;
  departmentCode?: string | null | undefined;
  roles: readonly string[];
}

/** The policy's verdict on one {@link RoleRequest}. */
export type PolicyDecision = { allowed: true } | { allowed: false; violations: RoleViolation[] };

/** Shown in messages for a record without a department. */
const NO_DEPARTMENT = '(none)';

/**
 * Which roles each department may hold (keyed by the HR `departmentCode`, case-sensitive, as HR sends it) and
 * which roles dirsync manages. An unknown department, or none, allows no role; asking for no role is always
 * allowed. Built by {@link parsePolicy}/{@link loadPolicy}, or from a definition (validated here too).
 */
export class RolePolicy {
  /** The policy file, for messages. */
  readonly file: string;
  readonly departments: ReadonlyMap<string, readonly string[]>;
  /**
   * Every role the policy names (in any department, plus `managedRoles`): the sync grants and removes only
   * these; other roles (the default employee role, roles granted by hand) are never touched.
   */
  readonly managedRoles: ReadonlySet<string>;

  constructor(definition: PolicyDefinition, options: { file?: string } = {}) {
    this.file = options.file ?? '(inline policy)';
    const valid = validatePolicyDefinition(definition, this.file);
    const entries = Object.entries(valid.departments).map(
      ([department, roles]) => [department, Object.freeze([...roles])] as const,
    );
    this.departments = new Map(entries);
    this.managedRoles = new Set([...entries.flatMap(([, roles]) => roles), ...(valid.managedRoles ?? [])]);
  }

  /** The roles `departmentCode` may hold; none for an unknown or missing department. */
  allowedRoles(departmentCode: string | null | undefined): readonly string[] {
    return (departmentCode && this.departments.get(departmentCode)) || [];
  }

  /** Allowed exactly when every requested role is one the person's department may hold. */
  evaluate(request: RoleRequest): PolicyDecision {
    const code = request.departmentCode;
    const department = typeof code === 'string' && code.trim() !== '' ? code : null;
    const allowed = this.allowedRoles(department);
    const denied = [...new Set(request.roles)].filter((role) => !allowed.includes(role));
    if (denied.length === 0) return { allowed: true };
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
