import { isOwnedPath, type OwnedPath, parseOwnedPath, valuePath } from '@dirsync/scim';
import { type AstNode, arrayMembers, type NodeMark, nodeMark, objectPairs } from './jsonata-ast.js';

/** The result of static ownership derivation: the owned paths, or why they cannot be told and where. */
export type DerivedOwnership = { ok: true; owned: string[] } | ({ ok: false; problem: string } & NodeMark);

interface Bound {
  node: AstNode;
  scope: Scope;
}
type Scope = ReadonlyMap<string, Bound>;

class Undetermined extends Error {
  constructor(
    readonly node: AstNode,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** `schemas` is protocol framing, not an attribute: the SCIM client sets it. */
const NOT_OWNED = new Set(['schemas']);

/**
 * The expressions `node` can yield as its value: through conditionals (both branches), blocks (the last
 * expression, with the block's `$x := …` bindings in scope), variables bound to an expression, `$merge([…])`
 * (each member) and a path whose last step is a constructor (`$.{…}`). Anything else is a terminal itself.
 */
function outcomes(node: AstNode, scope: Scope, depth = 0): Bound[] {
  if (depth > 64) throw new Undetermined(node, 'the expression is nested too deeply to follow');
  const next = depth + 1;
  switch (node.type) {
    case 'condition': {
      const branches = [node.then, node.else].filter((b): b is AstNode => b !== undefined);
      return branches.flatMap((b) => outcomes(b, scope, next));
    }
    case 'block': {
      const expressions = node.expressions ?? [];
      const inner = new Map(scope);
      for (const expression of expressions.slice(0, -1)) {
        const variable = expression.lhs;
        if (expression.type === 'bind' && expression.rhs && variable && !Array.isArray(variable)) {
          inner.set(String(variable.value), { node: expression.rhs, scope: new Map(inner) });
        }
      }
      const last = expressions.at(-1);
      return last ? outcomes(last, inner, next) : [];
    }
    case 'bind':
      return node.rhs ? outcomes(node.rhs, scope, next) : [];
    case 'variable': {
      const bound = typeof node.value === 'string' ? scope.get(node.value) : undefined;
      return bound ? outcomes(bound.node, bound.scope, next) : [{ node, scope }];
    }
    case 'function': {
      const [first] = node.arguments ?? [];
      const members = first && arrayMembers(first);
      if (node.procedure?.type === 'variable' && node.procedure.value === 'merge' && members) {
        return members.flatMap((m) => outcomes(m, scope, next));
      }
      return [{ node, scope }];
    }
    case 'path': {
      // `$.{…}` yields one object for one input; `list.{…}` may yield many, so it stays a terminal.
      const steps = node.steps ?? [];
      const last = steps.at(-1);
      const fromContext = steps
        .slice(0, -1)
        .every((s) => s.type === 'variable' && (s.value === '' || s.value === '$'));
      if (last && fromContext && (objectPairs(last) || arrayMembers(last)))
        return outcomes(last, scope, next);
      return [{ node, scope }];
    }
    default:
      return [{ node, scope }];
  }
}

/** Yields nothing or `null`: contributes no attribute. */
function isNothing(node: AstNode): boolean {
  return node.type === 'value' && node.value === null;
}

function describe(node: AstNode): string {
  if (node.type === 'path') return 'a path';
  if (node.type === 'function') return 'a function call';
  if (node.type === 'variable')
    return node.value === '' ? 'the input itself ($)' : `the variable $${String(node.value)}`;
  if (arrayMembers(node)) return 'an array';
  if (node.type === 'string' || node.type === 'number' || node.type === 'value') return 'a literal';
  return `a ${node.type} expression`;
}

/** The literal keys of the object constructors `node` can yield; throws when a key is computed. */
function objectKeys(bounds: Bound[], what: string): { key: string; value: AstNode; scope: Scope }[] {
  const keys: { key: string; value: AstNode; scope: Scope }[] = [];
  for (const { node, scope } of bounds) {
    if (isNothing(node)) continue;
    const pairs = objectPairs(node);
    if (!pairs) throw new Undetermined(node, `${what} can be ${describe(node)}, not an object constructor`);
    for (const [key, value] of pairs) {
      if (key.type !== 'string' || typeof key.value !== 'string') {
        throw new Undetermined(key, `${what} has a computed key`);
      }
      keys.push({ key: key.value, value, scope });
    }
  }
  return keys;
}

/** The literal `type` values of the element objects `bounds` can yield, or undefined if any is not literal. */
function elementTypes(bounds: Bound[]): string[] | undefined {
  const types: string[] = [];
  for (const { node, scope } of bounds) {
    if (isNothing(node)) continue;
    const typePair = objectPairs(node)?.find(([key]) => key.type === 'string' && key.value === 'type');
    if (!typePair) return undefined;
    for (const literal of outcomes(typePair[1], scope)) {
      if (literal.node.type !== 'string' || typeof literal.node.value !== 'string') return undefined;
      types.push(literal.node.value);
    }
  }
  return types;
}

/** The top-level attribute (or extension attribute) `owned` belongs to: `emails[type eq "work"]` → `emails`. */
function ownerOf(owned: OwnedPath): string {
  if (owned.kind === 'typed') return owned.attr;
  if (owned.kind === 'roles' || owned.location.schema !== undefined) return owned.path;
  return owned.location.attr;
}

/**
 * Deduplicates paths, keeping first-seen order, and drops parts of an attribute that is also owned whole
 * (`emails` owns every `emails[type eq …]`). Paths that do not parse are kept as they are, for the caller to refuse.
 */
function normalizeOwned(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  const owners = new Map(unique.map((p) => [p, isOwnedPath(p) ? ownerOf(parseOwnedPath(p)) : p]));
  const whole = new Set(unique.filter((p) => owners.get(p) === p));
  return unique.filter((p) => owners.get(p) === p || !whole.has(owners.get(p) ?? p));
}

/** The paths one top-level attribute owns, by the shape of its value. */
function attributePaths(attribute: string, value: AstNode, scope: Scope): string[] {
  const bounds = outcomes(value, scope).filter((b) => !isNothing(b.node));
  if (bounds.length > 0 && bounds.every((b) => objectPairs(b.node))) {
    // A complex attribute (`name`): its sub-attributes, unless a key is computed (then the whole of it).
    const pairs = bounds.flatMap((b) => objectPairs(b.node) ?? []);
    if (pairs.every(([key]) => key.type === 'string'))
      return pairs.map(([key]) => `${attribute}.${String(key.value)}`);
    return [attribute];
  }
  if (bounds.length > 0 && bounds.every((b) => arrayMembers(b.node))) {
    // A multi-valued attribute: one path per literal element `type`, else the whole attribute.
    const elements = bounds.flatMap((b) => (arrayMembers(b.node) ?? []).flatMap((m) => outcomes(m, b.scope)));
    const types = elementTypes(elements);
    if (types && types.length > 0) return types.map((type) => valuePath(attribute, 'type', type));
  }
  return [attribute];
}

/**
 * Derives the attribute paths a mapping owns from its JSONata AST alone, so ownership never depends on one
 * record's values: the keys of every object constructor the expression can yield, with extension URN keys
 * expanded to their attributes, complex attributes to their sub-attributes and arrays of `{ "type": "<literal>",
 * … }` to typed element paths. Fails (with the position of the culprit) when the result's keys cannot be known
 * statically, e.g. the mapping yields `$` or a computed key.
 */
export function deriveOwned(ast: AstNode): DerivedOwnership {
  try {
    const top = outcomes(ast, new Map());
    const entries = objectKeys(top, 'the mapping’s result');
    if (entries.length === 0) {
      return { ok: false, problem: 'the mapping never yields an object constructor', ...nodeMark(ast) };
    }
    const owned: string[] = [];
    for (const { key, value, scope } of entries) {
      if (NOT_OWNED.has(key)) continue;
      if (key.startsWith('urn:')) {
        const attributes = objectKeys(outcomes(value, scope), `the extension "${key}"`);
        owned.push(...attributes.map((a) => `${key}:${a.key}`));
      } else {
        owned.push(...attributePaths(key, value, scope));
      }
    }
    return { ok: true, owned: normalizeOwned(owned) };
  } catch (error) {
    if (error instanceof Undetermined) {
      return { ok: false, problem: error.problem, ...nodeMark(error.node) };
    }
    throw error;
  }
}
