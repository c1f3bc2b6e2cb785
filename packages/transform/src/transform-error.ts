import { DirsyncError } from '@dirsync/core';

/** `transform_failed`: the mapping failed or yielded a bad shape; `transform_timeout`: it ran too long or too deep. */
export type TransformErrorCode = 'transform_failed' | 'transform_timeout';

/**
 * The mapping could not turn one HR record into a SCIM user. Never retryable: the same record and mapping fail the
 * same way, so fix the mapping (or the record) first. The message names the record's `externalId` and what was
 * wrong, never other HR values (it reaches logs).
 */
export class TransformError extends DirsyncError {
  readonly externalId: string;
  /** The JSONata error code (e.g. `T2001`, `D1012`), when JSONata raised the error. */
  readonly jsonataCode: string | undefined;

  constructor(
    code: TransformErrorCode,
    externalId: string,
    problem: string,
    options: { jsonataCode?: string; details?: unknown } = {},
  ) {
    super(code, `mapping failed for externalId "${externalId}": ${problem}`, {
      retryable: false,
      details: options.details,
    });
    this.externalId = externalId;
    this.jsonataCode = options.jsonataCode;
  }
}
