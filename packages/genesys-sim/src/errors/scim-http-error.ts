import { DirsyncError } from '@dirsync/core';

/** RFC 7644 section 3.12 `scimType` values. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/**
 * A request the simulator refuses, answered as a SCIM error body. `retryable` mirrors what a client may do:
 * only throttling and server errors are worth repeating unchanged.
 */
export class ScimHttpError extends DirsyncError {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    detail: string,
    options: { scimType?: ScimType; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(`scim_${options.scimType ?? status}`, detail, {
      cause: options.cause,
      retryable: status === 429 || status >= 500,
    });
    this.status = status;
    this.scimType = options.scimType;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A 400 with `scimType`: the request is wrong and repeating it cannot help. */
export function badRequest(scimType: ScimType, detail: string): ScimHttpError {
  return new ScimHttpError(400, detail, { scimType });
}
