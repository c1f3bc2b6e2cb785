import { filter as compileFilter, type Filter, parse } from 'scim2-parse-filter';
import { badRequest } from '../errors/scim-http-error.js';
import { protectFilterValues } from './filter-values.js';
import { ENTERPRISE_USER_URN } from './urns.js';
import type { ScimUser } from './user-types.js';

/** A parsed `filter=` of GET /Users. */
export interface ListFilter {
  matches(user: ScimUser): boolean;
  /** Whether the filter says something about `active` (then inactive users are not hidden implicitly). */
  mentionsActive: boolean;
}

type FilterKind = 'exact' | 'caseInsensitive' | 'boolean';

/** What Genesys documents as filterable on /Users, and how each value compares. */
const FILTERABLE: Record<string, { name: string; kind: FilterKind }> = {
  externalid: { name: 'externalId', kind: 'exact' },
  username: { name: 'userName', kind: 'caseInsensitive' },
  email: { name: 'email', kind: 'caseInsensitive' },
  employeenumber: { name: 'employeeNumber', kind: 'exact' },
  manager: { name: 'manager', kind: 'exact' },
  division: { name: 'division', kind: 'caseInsensitive' },
  active: { name: 'active', kind: 'boolean' },
};

/** Checks the filter uses only `eq` on filterable attributes (with and/or) and rewrites values for comparison. */
function rewrite(node: Filter, raw: string, seen: Set<string>): Filter {
  switch (node.op) {
    case 'and':
    case 'or':
      return { op: node.op, filters: node.filters.map((f) => rewrite(f, raw, seen)) };
    case 'eq': {
      const spec = FILTERABLE[node.attrPath.toLowerCase()];
      if (!spec) {
        throw badRequest(
          'invalidFilter',
          `Filtering on '${node.attrPath}' is not supported: ${supportedList()}`,
        );
      }
      seen.add(spec.name);
      // The library's tester walks into arrays only before the last path step, so e-mails are objects.
      const attrPath = spec.name === 'email' ? 'email.value' : spec.name;
      return { op: 'eq', attrPath, compValue: comparable(spec, node.compValue) };
    }
    default:
      throw badRequest(
        'invalidFilter',
        `Unsupported filter '${raw}': only 'eq', 'and' and 'or' are supported`,
      );
  }
}

function comparable(spec: { name: string; kind: FilterKind }, value: unknown) {
  if (spec.kind === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw badRequest('invalidFilter', `'${spec.name}' compares with true or false`);
  }
  if (value === null || typeof value === 'boolean') {
    throw badRequest('invalidFilter', `'${spec.name}' compares with a string`);
  }
  return spec.kind === 'caseInsensitive' ? String(value).toLowerCase() : String(value);
}

const supportedList = () =>
  `use ${Object.values(FILTERABLE)
    .map((s) => s.name)
    .join(', ')} with eq`;

/** The user as the filter sees it: one key per filterable attribute, case-insensitive ones lower-cased. */
function filterView(user: ScimUser) {
  const enterprise = user[ENTERPRISE_USER_URN];
  return {
    externalId: user.externalId,
    userName: user.userName.toLowerCase(),
    email: (user.emails ?? []).map((e) => ({ value: e.value.toLowerCase() })),
    employeeNumber: enterprise?.employeeNumber,
    manager: enterprise?.manager?.value,
    division: enterprise?.division?.toLowerCase(),
    active: user.active,
  };
}

/**
 * Parses a GET /Users filter with scim2-parse-filter and evaluates it with the library's tester on a view of
 * the user. Unsupported attributes or operators, and syntax errors, are 400 `invalidFilter`.
 */
export function parseListFilter(text: string): ListFilter {
  let ast: Filter;
  try {
    const shielded = protectFilterValues(text);
    ast = shielded.restore(parse(shielded.text));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw badRequest('invalidFilter', `Invalid filter '${text}': ${why}`);
  }
  const seen = new Set<string>();
  const test = compileFilter(rewrite(ast, text, seen));
  return { matches: (user) => test(filterView(user)), mentionsActive: seen.has('active') };
}
