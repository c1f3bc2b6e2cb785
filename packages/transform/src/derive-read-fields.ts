import { type AstNode, type NodeMark, nodeMark } from './jsonata-ast.js';

/**
 * The HR fields a mapping reads, or why they cannot be told (the record is read as a whole or by computed names:
 * `$`, `$$`, `*`, `**` at the top of a path, `$lookup($, …)`, `$keys($)`, `$x := $`).
 */
export type DerivedReadFields = { ok: true; fields: string[] } | ({ ok: false; problem: string } & NodeMark);

class Dynamic extends Error {
  constructor(readonly node: AstNode) {
    super('dynamic read');
  }
}

const isRoot = (node: AstNode | undefined) =>
  node?.type === 'variable' && (node.value === '' || node.value === '$');
const isWild = (node: AstNode | undefined) => node?.type === 'wildcard' || node?.type === 'descendant';

/**
 * Every field name the expression mentions (a superset of what it reads: names below the top level count too, which
 * only keeps a same-named top-level field) unless it reads the record wholesale or by a computed name.
 */
export function deriveReadFields(ast: AstNode): DerivedReadFields {
  const fields = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const member of value) visit(member);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as AstNode;
    if (typeof node.type !== 'string') return;
    if (node.type === 'name') fields.add(String(node.value));
    if (isRoot(node) || isWild(node)) throw new Dynamic(node);
    if (node.type === 'path') {
      visitPath(node);
      return;
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'value') visit(child);
  };
  const visitPath = (node: AstNode): void => {
    const steps = node.steps ?? [];
    // `$.name`, `$$.name` and `$.{…}` read named fields of the record; `$.*`, `$` alone do not say which.
    const start = isRoot(steps[0]) && steps.length > 1 && !isWild(steps[1]) ? 1 : 0;
    steps.forEach((step, i) => {
      if (i < start) return;
      // Below the top level a wildcard reads within a named field.
      if (i > 0 && isWild(step)) {
        for (const [key, child] of Object.entries(step)) if (key !== 'value') visit(child);
        return;
      }
      visit(step);
    });
    for (const [key, child] of Object.entries(node)) if (key !== 'steps') visit(child);
  };
  try {
    visit(ast);
    return { ok: true, fields: [...fields].sort() };
  } catch (error) {
    if (!(error instanceof Dynamic)) throw error;
    return {
      ok: false,
      problem: 'the mapping reads the HR record as a whole or by computed field names',
      ...nodeMark(error.node),
    };
  }
}
