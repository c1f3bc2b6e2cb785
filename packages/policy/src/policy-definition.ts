import { formatIssuePath } from '@dirsync/core';
import { z } from 'zod';
import { PolicyLoadError } from './policy-load-error.js';
import { foldRoleName } from './role-name-set.js';

const NON_EMPTY = 'must be a non-empty string';

/** A list of distinct names; a duplicate is reported where it repeats. */
function nameList(what: string) {
  const name = z
    .string({ error: NON_EMPTY })
    .refine((n) => n.trim() !== '', { error: NON_EMPTY })
    .refine((n) => n === n.trim(), { error: 'must not start or end with spaces' });
  return z.array(name, { error: `must be a list of ${what} names` }).superRefine((names, ctx) => {
    const first = new Map<string, number>();
    names.forEach((n, index) => {
      const seen = first.get(n);
      if (seen === undefined) first.set(n, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `duplicate ${what} "${n}" (also at [${seen}])`,
        });
    });
  });
}

const roleList = nameList('role');
const groupList = nameList('group');
const skillList = nameList('skill');
const languageList = nameList('language');

/** What one department may hold, in the long form; the short form is a plain list of roles. */
const departmentRules = z.strictObject(
  { roles: roleList.optional(), groups: groupList.optional(), skills: skillList.optional() },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((k) => `"${k}"`).join(', ')} (expected roles, groups, skills)`
        : 'must be a list of roles, or a mapping with roles, groups and skills',
  },
);

/** A department's rules, normalised: `[agent]` reads as `{ roles: [agent] }`. */
export interface DepartmentRules {
  roles: string[];
  groups?: string[] | undefined;
  skills?: string[] | undefined;
}

/** Departments written in the short form, so a later message can point at `departments.Sales[1]`. */
const WRITTEN_AS_LIST = new WeakSet<DepartmentRules>();

/** Either form of a department, each validated with its own exact paths (a union would blur them). */
const departmentEntry = z.unknown().transform((value, ctx): DepartmentRules => {
  const short = Array.isArray(value);
  const parsed = short ? roleList.safeParse(value) : departmentRules.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  if (short) {
    const rules = { roles: parsed.data as string[] };
    WRITTEN_AS_LIST.add(rules);
    return rules;
  }
  const rules = parsed.data as { roles?: string[]; groups?: string[]; skills?: string[] };
  return { ...rules, roles: rules.roles ?? [] };
});

/** The case-insensitive lists of one kind (roles, groups): where each appears. */
function namedLists(
  definition: { departments: Record<string, DepartmentRules> } & Record<string, unknown>,
  kind: 'roles' | 'groups',
  managedKey: string,
): Array<[PropertyKey[], string[]]> {
  return [
    ...Object.entries(definition.departments).map(([name, rules]): [PropertyKey[], string[]] => [
      WRITTEN_AS_LIST.has(rules) ? ['departments', name] : ['departments', name, kind],
      rules[kind] ?? [],
    ]),
    [[managedKey], (definition[managedKey] as string[] | undefined) ?? []],
  ];
}

/**
 * Genesys matches role and group names case-insensitively, so `agent` here and `Agent` there would be one name
 * spelled two ways: which spelling to send would be a guess. Each later spelling is reported where it appears.
 */
function refuseCaseVariants(
  definition: { departments: Record<string, DepartmentRules> } & Record<string, unknown>,
  ctx: z.RefinementCtx,
): void {
  const kinds = [
    ['roles', 'managedRoles', 'role'],
    ['groups', 'managedGroups', 'group'],
  ] as const;
  for (const [kind, managedKey, what] of kinds) {
    const first = new Map<string, { name: string; at: string }>();
    for (const [path, names] of namedLists(definition, kind, managedKey)) {
      names.forEach((name, index) => {
        const fold = foldRoleName(name);
        const seen = first.get(fold);
        if (!seen) first.set(fold, { name, at: formatIssuePath([...path, index]) });
        else if (seen.name !== name)
          ctx.addIssue({
            code: 'custom',
            path: [...path, index],
            message: `${what} "${name}" differs only in case from "${seen.name}" (at ${seen.at}); ${what} names match case-insensitively, so spell it one way`,
          });
      });
    }
  }
}

const TOP_KEYS =
  'departments, managedRoles, managedGroups, managedSkills, managedLanguages, leaveGroupsOnDeactivation';

/**
 * The policy file's content: `departments` maps each HR `departmentCode` (case-sensitive) to the role names it
 * may hold (`Sales: [agent]`), or to what it may hold (`Support: { roles: [agent], groups: ["Tier 2 Queue"],
 * skills: ["Tier 2"] }`); `managedRoles`, `managedGroups`, `managedSkills` and `managedLanguages` name what
 * dirsync manages besides what departments name; `leaveGroupsOnDeactivation` makes a deactivation leave the
 * managed groups (default: memberships stay for a rehire). Role and group names match case-insensitively; two
 * spellings of one are refused. Skill and language names are exact, as Genesys matches them.
 */
export const policyDefinitionSchema = z
  .strictObject(
    {
      departments: z
        .record(
          z.string().refine((name) => name.trim() !== ''),
          departmentEntry,
          {
            error: (issue) => {
              if (issue.code === 'invalid_key') return 'department names must be non-empty strings';
              return issue.input === undefined
                ? 'is required'
                : 'must map department names to lists of roles';
            },
          },
        )
        .refine((departments) => Object.keys(departments).length > 0, {
          error: 'must name at least one department',
        }),
      managedRoles: roleList.optional(),
      managedGroups: groupList.optional(),
      managedSkills: skillList.optional(),
      managedLanguages: languageList.optional(),
      leaveGroupsOnDeactivation: z.boolean({ error: 'must be true or false' }).optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((k) => `"${k}"`).join(', ')} (expected ${TOP_KEYS})`
          : 'must be a mapping with "departments" (and optionally "managedRoles")',
    },
  )
  .superRefine(refuseCaseVariants);

/** A validated policy definition (departments in the long form). */
export type PolicyDefinition = z.output<typeof policyDefinitionSchema>;
/** A policy definition as written: departments in either form. */
export type PolicyDefinitionInput = {
  departments: Record<string, string[] | { roles?: string[]; groups?: string[]; skills?: string[] }>;
  managedRoles?: string[] | undefined;
  managedGroups?: string[] | undefined;
  managedSkills?: string[] | undefined;
  managedLanguages?: string[] | undefined;
  leaveGroupsOnDeactivation?: boolean | undefined;
};

/** Validates parsed policy data; throws {@link PolicyLoadError} naming `file` and each problem's path. */
export function validatePolicyDefinition(data: unknown, file: string): PolicyDefinition {
  const parsed = policyDefinitionSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new PolicyLoadError(
    file,
    parsed.error.issues.map((issue) => ({ at: formatIssuePath(issue.path), message: issue.message })),
  );
}
