import { isJsonataError, withheldMessage } from './jsonata-error.js';
import type { SandboxOutcome } from './mapping-sandbox.js';
import { locateJsonataPosition } from './source-position.js';
import { TransformError } from './transform-error.js';

/** What an evaluation failure is judged against. */
export interface EvaluationContext {
  source: string;
  timeoutMs: number;
  maxDepth: number;
}

/**
 * The {@link TransformError} for an evaluation the sandbox did not complete: stopped past the hard time limit, the
 * worker lost (it died, or the mapping was closed), or the expression threw (see {@link evaluationFailure}).
 */
export function sandboxFailure(
  externalId: string,
  outcome: Exclude<SandboxOutcome, { ok: true }>,
  context: EvaluationContext,
): TransformError {
  if ('error' in outcome) return evaluationFailure(externalId, outcome.error, context);
  switch (outcome.stopped) {
    case 'time':
      return new TransformError(
        'transform_timeout',
        externalId,
        `evaluation ran longer than ${context.timeoutMs} ms and was stopped`,
      );
    case 'crash':
      return new TransformError('transform_failed', externalId, 'the evaluation worker stopped unexpectedly');
    case 'closed':
      return new TransformError('transform_failed', externalId, 'the mapping was closed');
  }
}

/**
 * The {@link TransformError} for an evaluation that threw: `transform_timeout` for JSONata's time (`D1012`) and
 * depth (`D1011`) guardrails, else `transform_failed` with the JSONata code, where in the mapping, and JSONata's
 * message with quoted data values withheld. The JSONata error is not kept as `cause`: it carries HR data.
 */
export function evaluationFailure(
  externalId: string,
  error: unknown,
  context: EvaluationContext,
): TransformError {
  if (!isJsonataError(error)) {
    const name =
      error instanceof Error
        ? error.name
        : typeof error === 'object' && error !== null && 'name' in error
          ? String(error.name)
          : typeof error;
    return new TransformError('transform_failed', externalId, `evaluation failed (${name})`);
  }
  const options = { jsonataCode: error.code, details: { jsonataCode: error.code, position: error.position } };
  if (error.code === 'D1012') {
    return new TransformError(
      'transform_timeout',
      externalId,
      `evaluation ran longer than ${context.timeoutMs} ms`,
      options,
    );
  }
  if (error.code === 'D1011') {
    const problem = `evaluation nested deeper than ${context.maxDepth} (runaway recursion?)`;
    return new TransformError('transform_timeout', externalId, problem, options);
  }
  const location =
    typeof error.position === 'number'
      ? locateJsonataPosition(context.source, error.position, error.token)
      : undefined;
  const where = location ? ` at line ${location.line}, column ${location.column}` : '';
  return new TransformError(
    'transform_failed',
    externalId,
    `JSONata ${error.code}${where}: ${withheldMessage(error)}`,
    options,
  );
}
