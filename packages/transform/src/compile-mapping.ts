import type { HrRecord } from '@dirsync/contracts';
import { isOwnedPath, parseOwnedPath } from '@dirsync/scim';
import jsonata from 'jsonata';
import { deriveOwned } from './derive-owned.js';
import { deriveReadFields } from './derive-read-fields.js';
import { sandboxFailure } from './evaluation-failure.js';
import type { AstNode } from './jsonata-ast.js';
import { isJsonataError } from './jsonata-error.js';
import type { MappedUser } from './mapped-user.js';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_TIMEOUT_MS,
  hardLimitMs,
  type Mapping,
  type MappingLimits,
} from './mapping.js';
import { MappingLoadError } from './mapping-load-error.js';
import { MappingSandbox } from './mapping-sandbox.js';
import { readOwnsDirective } from './owns-directive.js';
import { locate, locateJsonataPosition } from './source-position.js';
import { OutputProblem, toMappedUser } from './to-mapped-user.js';
import { TransformError } from './transform-error.js';

/** Options of {@link compileMapping}. */
export interface CompileMappingOptions extends MappingLimits {
  /** The file the source came from, for messages; default `(inline mapping)`. */
  file?: string;
}

const DIRECTIVE_HINT =
  'name the attributes it writes in a leading comment, e.g. /* dirsync:owns userName, displayName, emails[type eq "work"] */';

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result <= 0) throw new RangeError(`${name} must be a positive integer`);
  return result;
}

function compileExpression(source: string, file: string) {
  try {
    // Compiled here for load errors and ownership; evaluation compiles it again inside the sandbox worker.
    return jsonata(source);
  } catch (error) {
    if (!isJsonataError(error))
      throw new MappingLoadError(file, 'cannot compile the mapping', { cause: error });
    const location = locateJsonataPosition(source, error.position ?? 0, error.token);
    throw new MappingLoadError(
      file,
      `line ${location.line}, column ${location.column}: JSONata ${error.code}: ${error.message}`,
      { cause: error, location, jsonataCode: error.code },
    );
  }
}

function resolveOwned(source: string, file: string, ast: AstNode): Pick<Mapping, 'owned' | 'ownedFrom'> {
  const directive = readOwnsDirective(source);
  let owned: string[];
  let ownedFrom: Mapping['ownedFrom'];
  if (directive?.ok === false) {
    const location = locate(source, directive.offset);
    throw new MappingLoadError(
      file,
      `line ${location.line}, column ${location.column}: ${directive.problem}`,
      {
        location,
      },
    );
  }
  if (directive) {
    owned = directive.owned;
    ownedFrom = 'directive';
  } else {
    const derived = deriveOwned(ast);
    if (!derived.ok) {
      const location =
        derived.position === undefined
          ? undefined
          : locateJsonataPosition(source, derived.position, derived.token);
      const where = location ? ` (line ${location.line}, column ${location.column})` : '';
      throw new MappingLoadError(
        file,
        `cannot tell which attributes this mapping writes: ${derived.problem}${where}; ${DIRECTIVE_HINT}`,
        location ? { location } : {},
      );
    }
    owned = derived.owned;
    ownedFrom = 'expression';
    const bad = owned.find((path) => !isOwnedPath(path));
    if (bad !== undefined) {
      throw new MappingLoadError(file, `the mapping writes "${bad}", which is not a SCIM attribute path`);
    }
  }
  if (!owned.includes('userName')) {
    throw new MappingLoadError(
      file,
      `the mapping does not write userName (it owns ${owned.join(', ')}); every SCIM user needs one`,
    );
  }
  // One spelling per path (`emails[ type eq "work" ]` is `emails[type eq "work"]`), as the SCIM diff reads it.
  const canonical = owned.map((path) => parseOwnedPath(path).path);
  return { owned: Object.freeze([...new Set(canonical)]), ownedFrom };
}

/** The HR fields the mapping reads, or where it reads the record wholesale. */
function describeReads(source: string, ast: AstNode): Mapping['reads'] {
  const derived = deriveReadFields(ast);
  if (derived.ok) return { fields: Object.freeze(derived.fields) };
  const location =
    derived.position === undefined
      ? undefined
      : locateJsonataPosition(source, derived.position, derived.token);
  const where = location ? ` (line ${location.line}, column ${location.column})` : '';
  return { dynamic: `${derived.problem}${where}` };
}

/**
 * Compiles a JSONata mapping once and derives the attribute paths it owns (from a leading
 * `/* dirsync:owns … *\/` directive when present, else statically from the expression). Throws
 * {@link MappingLoadError} naming `file`, and for a syntax error the line and column, when the source is not valid
 * JSONata or its owned attributes cannot be told.
 */
export function compileMapping(source: string, options: CompileMappingOptions = {}): Mapping {
  const file = options.file ?? '(inline mapping)';
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const maxDepth = positiveInteger('maxDepth', options.maxDepth, DEFAULT_MAX_DEPTH);
  const expression = compileExpression(source, file);
  const { owned, ownedFrom } = resolveOwned(source, file, expression.ast() as AstNode);
  const reads = describeReads(source, expression.ast() as AstNode);
  // JSONata's guardrails (elapsed time and depth, checked at every evaluation step with the counters held by that
  // evaluation's own frame) run inside the sandbox; the sandbox's hard limit stops what runs between steps.
  const sandbox = new MappingSandbox({
    source,
    timeoutMs,
    maxDepth,
    hardLimitMs: hardLimitMs(timeoutMs),
  });

  return {
    file,
    owned,
    ownedFrom,
    reads,
    timeoutMs,
    maxDepth,
    async evaluate(record: HrRecord): Promise<MappedUser | null> {
      const externalId = typeof record.externalId === 'string' ? record.externalId : '(none)';
      const outcome = await sandbox.evaluate(record);
      if (!outcome.ok) throw sandboxFailure(externalId, outcome, { source, timeoutMs, maxDepth });
      const { result } = outcome;
      if (result === undefined || result === null) return null;
      try {
        return toMappedUser(result);
      } catch (error) {
        if (error instanceof OutputProblem)
          throw new TransformError('transform_failed', externalId, error.message);
        throw error;
      }
    },
    close: () => sandbox.close(),
  };
}
