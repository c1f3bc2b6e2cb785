import { formatIssuePath } from '@dirsync/core';
import { z } from 'zod';
import { PolicyLoadError } from './policy-load-error.js';
import { foldRoleName } from './role-name-set.js';

const NON_EMPTY = 'must be a non-empty string';

const roleName = z
  .string({ error: NON_EMPTY })
  .refine((role) => role.trim() !== '', { error: NON_EMPTY })
  .refine((role) => role === role.trim(), { error: 'must not start or end with spaces' });

/** A list of distinct role names; a duplicate is reported where it repeats. */
const roleList = z.array(roleName, { error: 'must be a list of role names' }).superRefine((roles, ctx) => {
  const first = new Map<string, number>();
  roles.forEach((role, index) => {
    const seen = first.get(role);
    if (seen === undefined) first.set(role, index);
    else
      ctx.addIssue({
        code: 'custom',
        path: [index],
        message: `duplicate role "${role}" (also at [${seen}])`,
      });
  });
});

/**
 * Genesys matches role names case-insensitively, so `agent` here and `Agent` there would be one role spelled two
 * ways: which spelling to send would be a guess. Each later spelling is reported where it appears.
 */
function refuseCaseVariants(
  definition: { departments: Record<string, string[]>; managedRoles?: string[] | undefined },
  ctx: z.RefinementCtx,
): void {
  const first = new Map<string, { role: string; at: string }>();
  const lists: Array<[PropertyKey[], string[]]> = [
    ...Object.entries(definition.departments).map(([name, roles]): [PropertyKey[], string[]] => [
      ['departments', name],
      roles,
    ]),
    [['managedRoles'], definition.managedRoles ?? []],
  ];
  for (const [path, roles] of lists) {
    roles.forEach((role, index) => {
      const fold = foldRoleName(role);
      const seen = first.get(fold);
      if (!seen) first.set(fold, { role, at: formatIssuePath([...path, index]) });
      else if (seen.role !== role)
        ctx.addIssue({
          code: 'custom',
          path: [...path, index],
          message: `role "${role}" differs only in case from "${seen.role}" (at ${seen.at}); role names match case-insensitively, so spell it one way`,
        });
    });
  }
}

/**
 * The policy file's content: `departments` maps each HR `departmentCode` (case-sensitive) to the role names it
 * may hold; the optional `managedRoles` names roles dirsync manages although no department may hold them. Role
 * names match case-insensitively; two spellings of one role are refused.
 */
export const policyDefinitionSchema = z
  .strictObject(
    {
      departments: z
        .record(
          z.string().refine((name) => name.trim() !== ''),
          roleList,
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
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((k) => `"${k}"`).join(', ')} (expected departments, managedRoles)`
          : 'must be a mapping with "departments" (and optionally "managedRoles")',
    },
  )
  .superRefine(refuseCaseVariants);

/** A validated policy definition. */
export type PolicyDefinition = z.infer<typeof policyDefinitionSchema>;

/** Validates parsed policy data; throws {@link PolicyLoadError} naming `file` and each problem's path. */
export function validatePolicyDefinition(data: unknown, file: string): PolicyDefinition {
  const parsed = policyDefinitionSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new PolicyLoadError(
    file,
    parsed.error.issues.map((issue) => ({ at: formatIssuePath(issue.path), message: issue.message })),
  );
}
