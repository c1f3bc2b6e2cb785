import type { DepartmentRules } from './policy-definition.js';
import { RoleNameSet } from './role-name-set.js';

/** A group or skill HR asks for that the person's department may not hold. */
export interface AssignmentViolation {
  field: 'groups' | 'skills';
  name: string;
  /** The person's department, or null when the record has none. */
  departmentCode: string | null;
  /** The departments whose rules name it. */
  allowedFor: readonly string[];
  message: string;
}

/** The groups and skills HR asks for one person, and the department that decides them. */
export interface AssignmentRequest {
  departmentCode?: string | null | undefined;
  groups?: readonly string[];
  skills?: readonly string[];
}

/**
 * Per-department constraints on groups and skills. A group or skill that some department's rules name is
 * constrained: only those departments may hold it (a group can grant roles, so this fails closed like a role).
 * One that no department names is open to everyone (it may still be managed). Group names match
 * case-insensitively, skill names exactly, as Genesys matches them.
 */
export class AssignmentPolicy {
  private readonly groupOwners = new Map<string, string[]>();
  private readonly skillOwners = new Map<string, string[]>();

  constructor(departments: Readonly<Record<string, DepartmentRules>>) {
    for (const [department, rules] of Object.entries(departments)) {
      for (const group of rules.groups ?? []) add(this.groupOwners, group.toLowerCase(), department);
      for (const skill of rules.skills ?? []) add(this.skillOwners, skill, department);
    }
  }

  /** Every group or skill of `request` that its department may not hold; empty when all are allowed. */
  evaluate(request: AssignmentRequest): AssignmentViolation[] {
    const code = request.departmentCode;
    const department = typeof code === 'string' && code.trim() !== '' ? code : null;
    const groups = [...new RoleNameSet(request.groups ?? [])];
    const skills = [...new Set(request.skills ?? [])];
    return [
      ...check('groups', groups, (g) => this.groupOwners.get(g.toLowerCase()), department),
      ...check('skills', skills, (s) => this.skillOwners.get(s), department),
    ];
  }
}

function add(owners: Map<string, string[]>, key: string, department: string): void {
  const list = owners.get(key);
  if (list) list.push(department);
  else owners.set(key, [department]);
}

function check(
  field: AssignmentViolation['field'],
  names: readonly string[],
  ownersOf: (name: string) => string[] | undefined,
  department: string | null,
): AssignmentViolation[] {
  const what = field === 'groups' ? 'group' : 'skill';
  return names.flatMap((name) => {
    const allowedFor = ownersOf(name);
    if (!allowedFor || (department !== null && allowedFor.includes(department))) return [];
    return [
      {
        field,
        name,
        departmentCode: department,
        allowedFor,
        message: `${what} "${name}" is not allowed for department "${department ?? '(none)'}" (only ${allowedFor.join(', ')})`,
      },
    ];
  });
}
