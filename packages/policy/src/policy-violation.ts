import { DirsyncError } from '@dirsync/core';

/** One role a person may not hold, and why. */
export interface RoleViolation {
  role: string;
  /** The person's department, or null when the record has none. */
  departmentCode: string | null;
  /** What that department may hold. */
  allowedRoles: readonly string[];
  /** E.g. `role "admin" is not allowed for department "Sales" (allowed: agent, supervisor)`. */
  message: string;
}

/**
 * HR asks for a role the person's department may not hold: that person's create or update is blocked (fail
 * closed) until HR or the policy file changes, so a retry cannot help. Carries the first violation's `role` and
 * `departmentCode` and all of them in `violations`.
 */
export class PolicyViolation extends DirsyncError {
  readonly externalId: string;
  readonly departmentCode: string | null;
  readonly role: string;
  readonly allowedRoles: readonly string[];
  readonly violations: readonly RoleViolation[];

  constructor(externalId: string, violations: readonly [RoleViolation, ...RoleViolation[]]) {
    const [first] = violations;
    super('policy_violation', violations.map((v) => v.message).join('; '), {
      retryable: false,
      details: { externalId, violations },
    });
    this.externalId = externalId;
    this.departmentCode = first.departmentCode;
    this.role = first.role;
    this.allowedRoles = first.allowedRoles;
    this.violations = violations;
  }
}
