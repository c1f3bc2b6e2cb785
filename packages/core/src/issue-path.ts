/** One problem a schema found in some input: where (`events[0].data.hireDate`) and what is wrong. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The part of a validation issue this formatting reads (zod's `issues` have this shape). */
export interface PathIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/**
 * A validation issue's path as it reads in JSON or YAML: `events[0].data.hireDate`, `departments["Customer
 * Success"][1]`. Names that are not plain identifiers are quoted in brackets; an empty path is `whole`.
 */
export function formatIssuePath(path: readonly PropertyKey[], whole = '(top level)'): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === '' ? whole : text;
}

/**
 * Every issue as a {@link FieldProblem}, its path formatted by {@link formatIssuePath}; `prefix` places the
 * validated value inside a larger input (`['events', 3]` for the fourth event of a batch).
 */
export function describeIssues(
  issues: readonly PathIssue[],
  options: { prefix?: readonly PropertyKey[]; whole?: string } = {},
): FieldProblem[] {
  const prefix = options.prefix ?? [];
  return issues.map((issue) => ({
    field: formatIssuePath([...prefix, ...issue.path], options.whole),
    message: issue.message,
  }));
}
