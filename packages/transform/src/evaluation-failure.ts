import { isJsonataError, withheldMessage } from './jsonata-error.js';
import { locateJsonataPosition } from './source-position.js';
import { TransformError } from './transform-error.js';

/** What an evaluation failure is judged against. */
export interface EvaluationContext {
  source: string;
  timeoutMs: number;
  maxDepth: number;
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
    const name = error instanceof Error ? error.name : typeof error;
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
