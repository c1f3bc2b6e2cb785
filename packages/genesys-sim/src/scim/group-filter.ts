import { type Filter, parse } from 'scim2-parse-filter';
import { badRequest } from '../errors/scim-http-error.js';
import { protectFilterValues } from './filter-values.js';
import type { ScimGroup } from './group-types.js';

/**
 * Parses a GET /Groups filter: `displayName eq "Support"` (or a bare value), possibly joined with `or`.
 * Names compare case-insensitively. Anything else is 400 `invalidFilter`.
 */
export function parseGroupFilter(text: string): (group: ScimGroup) => boolean {
  let ast: Filter;
  try {
    const shielded = protectFilterValues(text);
    ast = shielded.restore(parse(shielded.text));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw badRequest('invalidFilter', `Invalid filter '${text}': ${why}`);
  }
  const names = namesOf(ast, text).map((n) => n.toLowerCase());
  return (group) => names.includes(group.displayName.toLowerCase());
}

function namesOf(node: Filter, text: string): string[] {
  if (node.op === 'or') return node.filters.flatMap((f) => namesOf(f, text));
  if (
    node.op === 'eq' &&
    node.attrPath.toLowerCase() === 'displayname' &&
    typeof node.compValue === 'string'
  ) {
    return [node.compValue];
  }
  throw badRequest('invalidFilter', `Unsupported filter '${text}': groups filter on 'displayName eq' only`);
}
