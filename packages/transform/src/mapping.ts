import type { HrRecord } from '@dirsync/contracts';
import type { MappedUser } from './mapped-user.js';

/** How long one evaluation may run before it is stopped (ms). The default mapping takes a few microseconds. */
export const DEFAULT_TIMEOUT_MS = 250;
/**
 * How deeply evaluation may nest (JSONata's evaluation depth: each sub-expression and function call adds one).
 * The default mapping needs a few dozen; the bound stops runaway recursion long before memory runs out.
 */
export const DEFAULT_MAX_DEPTH = 1000;

/**
 * The hard limit of one evaluation: JSONata's own bound (`timeoutMs`, checked between evaluation steps) plus this
 * grace, after which the evaluation worker is terminated. The grace lets JSONata's precise error come first when it
 * can; the hard limit is for native code that runs between steps (a backtracking regex, a large sort).
 */
export function hardLimitMs(timeoutMs: number): number {
  return timeoutMs + Math.max(1000, timeoutMs);
}

/** Bounds for each evaluation of a mapping. */
export interface MappingLimits {
  /** Wall-clock bound per evaluation, in ms; default {@link DEFAULT_TIMEOUT_MS}. Enforced preemptively. */
  timeoutMs?: number;
  /** Evaluation depth bound; default {@link DEFAULT_MAX_DEPTH}. */
  maxDepth?: number;
}

/**
 * A compiled mapping: HR record → SCIM user, with the attribute paths it owns.
 *
 * Manager convention: a mapping cannot know Genesys ids, so it writes the manager as
 * `{ "externalId": <managerExternalId> }` inside the enterprise extension; the sync resolves that to the
 * manager's SCIM id (`{ "value": … }`) before diffing. Its owned path is
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`.
 */
export interface Mapping {
  /** The mapping file (or the name given to {@link compileMapping}), for messages. */
  readonly file: string;
  /**
   * The attribute paths this mapping owns (`userName`, `name.givenName`, `emails[type eq "work"]`, `roles`,
   * `urn:…:enterprise:2.0:User:department`). An owned attribute missing from an output is cleared in the target.
   */
  readonly owned: readonly string[];
  /** Where `owned` came from: the `dirsync:owns` directive, or derived from the expression. */
  readonly ownedFrom: 'directive' | 'expression';
  /**
   * The HR fields the expression reads (a superset), so the person store keeps only those; or, for an expression
   * that reads the record as a whole or by computed names, why they cannot be told (with line and column).
   */
  readonly reads: { fields: readonly string[] } | { dynamic: string };
  readonly timeoutMs: number;
  readonly maxDepth: number;
  /**
   * Maps one HR record, in a worker thread so no expression can block the caller. Resolves `null` when the
   * expression yields nothing (`undefined`/`null`): the person is out of scope. Rejects with a `TransformError`
   * (`transform_failed`, or `transform_timeout` past the time or depth bound) naming the record's `externalId`.
   */
  evaluate(record: HrRecord): Promise<MappedUser | null>;
  /**
   * Stops the evaluation worker (started at the first `evaluate`). Optional for a long-lived process: the worker
   * never keeps it alive.
   */
  close(): Promise<void>;
}
