import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { validatePolicyDefinition } from './policy-definition.js';
import { PolicyLoadError, type PolicyProblem } from './policy-load-error.js';
import { RolePolicy } from './role-policy.js';

/** The policy file formats. */
export type PolicyFormat = 'yaml' | 'json';

/** Options of {@link parsePolicy}. */
export interface ParsePolicyOptions {
  /** The file the text came from, for messages; default `(inline policy)`. */
  file?: string;
  /** Default: from the file's extension (`.json` is JSON, `.yaml`/`.yml` YAML), else YAML. */
  format?: PolicyFormat;
}

/** The format a policy file's extension says, or undefined for an extension that is neither. */
export function policyFormatOf(file: string): PolicyFormat | undefined {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return undefined;
}

/** Where a character offset is, as `line L, column C`. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const problems: PolicyProblem[] = document.errors.map((error) => {
    const at = error.linePos?.[0];
    return {
      ...(at ? { at: `line ${at.line}, column ${at.col}` } : {}),
      message: `invalid YAML: ${error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')}`,
    };
  });
  if (problems.length > 0) throw new PolicyLoadError(file, problems);
  return document.toJS({ maxAliasCount: 100 });
}

function parseJson(text: string, file: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const at = position?.[1] ? { at: lineColumn(text, Number(position[1])) } : {};
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/, '');
    throw new PolicyLoadError(file, [{ ...at, message: `invalid JSON: ${reason}` }], { cause: error });
  }
  // JSON.parse keeps the last of two equal keys silently; a department listed twice is a mistake worth naming.
  const duplicate = parseDocument(text, { uniqueKeys: true, prettyErrors: true }).errors.find(
    (e) => e.code === 'DUPLICATE_KEY',
  );
  if (duplicate) {
    const at = duplicate.linePos?.[0];
    const where = at ? { at: `line ${at.line}, column ${at.col}` } : {};
    throw new PolicyLoadError(file, [{ ...where, message: 'invalid JSON: duplicate key' }]);
  }
  return data;
}

/**
 * Parses and validates a role policy (YAML or JSON) into a {@link RolePolicy}. Throws {@link PolicyLoadError}
 * naming `file` and each problem's place: a syntax error's line and column, or the path of a wrong value
 * (`departments.Sales[1]: must be a non-empty string`).
 */
export function parsePolicy(text: string, options: ParsePolicyOptions = {}): RolePolicy {
  const file = options.file ?? '(inline policy)';
  const format = options.format ?? policyFormatOf(file) ?? 'yaml';
  const data = format === 'json' ? parseJson(text, file) : parseYaml(text, file);
  return new RolePolicy(validatePolicyDefinition(data, file), { file });
}
