/**
 * The parts of JSONata's AST (`expression.ast()`) that ownership derivation reads. JSONata's own typings leave out
 * `condition`, `then`, `else`, `body` and the object constructor's `lhs` pairs, so this is declared here.
 */
export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  /** Object constructor (`unary` `{`): the key/value pairs; bind (`:=`): the variable. */
  lhs?: AstNode | [AstNode, AstNode][];
  rhs?: AstNode;
  /** Block and array constructor (`unary` `[`) members. */
  expressions?: AstNode[];
  steps?: AstNode[];
  condition?: AstNode;
  then?: AstNode;
  else?: AstNode;
  procedure?: AstNode;
  arguments?: AstNode[];
}

/** The object constructor's key/value pairs, when `node` is one. */
export function objectPairs(node: AstNode): [AstNode, AstNode][] | undefined {
  return node.type === 'unary' && node.value === '{' && Array.isArray(node.lhs) ? node.lhs : undefined;
}

/** The members of an array constructor, when `node` is one. */
export function arrayMembers(node: AstNode): AstNode[] | undefined {
  return node.type === 'unary' && node.value === '[' ? (node.expressions ?? []) : undefined;
}

/** Where a node is, for messages: JSONata's position (the end of its token) and the token's text, when known. */
export interface NodeMark {
  position: number | undefined;
  token: string | undefined;
}

/** The mark of `node`'s leftmost token: a path's first step, a call's function name, a literal or name itself. */
export function nodeMark(node: AstNode): NodeMark {
  const first = node.steps?.[0] ?? node.procedure;
  if (first) return nodeMark(first);
  let token: string | undefined;
  if (node.type === 'variable') token = `$${String(node.value)}`;
  else if (node.type === 'name' || node.type === 'string' || node.type === 'number')
    token = String(node.value);
  return { position: node.position, token };
}
