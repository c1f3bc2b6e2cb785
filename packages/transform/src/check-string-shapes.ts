import { type AstNode, arrayMembers, type NodeMark, nodeMark, objectPairs } from './jsonata-ast.js';

/** Where a mapping yields an object or a list where the target needs a string. */
export interface ShapeProblem extends NodeMark {
  problem: string;
}

/** The branches a value may come from: a condition's `then`/`else`, a block's last expression, else itself. */
function branches(node: AstNode): AstNode[] {
  if (node.type === 'condition') return [node.then, node.else].flatMap((n) => (n ? branches(n) : []));
  if (node.type === 'block' && node.expressions?.length) return branches(node.expressions.at(-1) as AstNode);
  return [node];
}

function keyOf(node: AstNode): string | undefined {
  return node.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

function notAString(value: AstNode, what: string): ShapeProblem | undefined {
  for (const branch of branches(value)) {
    const kind = objectPairs(branch) ? 'an object' : arrayMembers(branch) ? 'a list' : undefined;
    if (kind) return { problem: `${what} is ${kind}; it must be a string`, ...nodeMark(branch) };
  }
  return undefined;
}

/**
 * Finds, where the expression shows it, a division or a phone number built as an object or a list (the target
 * can only ever refuse it). Other shapes are checked per person when the mapping runs.
 */
export function checkStringShapes(ast: AstNode): ShapeProblem | undefined {
  const seen = new Set<AstNode>();
  const visit = (node: AstNode | undefined): ShapeProblem | undefined => {
    if (!node || typeof node !== 'object' || seen.has(node)) return undefined;
    seen.add(node);
    for (const [key, value] of objectPairs(node) ?? []) {
      const name = keyOf(key);
      if (name === 'division') {
        const found = notAString(value, 'the division');
        if (found) return found;
      }
      if (name === 'phoneNumbers') {
        for (const branch of branches(value)) {
          for (const element of arrayMembers(branch) ?? []) {
            const pair = objectPairs(element)?.find(([k]) => keyOf(k) === 'value');
            const found = pair && notAString(pair[1], 'a phone number');
            if (found) return found;
          }
        }
      }
    }
    for (const child of Object.values(node)) {
      const list = Array.isArray(child) ? child.flat() : [child];
      for (const item of list) {
        const found = item && typeof item === 'object' ? visit(item as AstNode) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(ast);
}
