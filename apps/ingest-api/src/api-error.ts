import type { Logger } from '@dirsync/core';
import { DirsyncError } from '@dirsync/core';
import type { ErrorRequestHandler } from 'express';

/** An error with an HTTP status and a body code can read: `{ error: { code, message, details } }`. */
export class ApiError extends DirsyncError {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(code, message, { details: options.details, cause: options.cause });
    this.status = status;
    this.headers = options.headers ?? {};
  }
}

/** Redis did not answer: the request is refused before anything is promised. */
export function serviceUnavailable(cause: unknown): ApiError {
  return new ApiError(
    503,
    'redis_unavailable',
    'the queue store (Redis) is unreachable; nothing was accepted, retry later',
    {
      headers: { 'Retry-After': '5' },
      cause,
    },
  );
}

/**
 * The writes reached the primary but too few replicas confirmed them in time (`REDIS_MIN_REPLICAS_ACK`): not yet
 * durable enough to promise, so the sender retries (the idempotency key makes the retry safe).
 */
export function replicasUnavailable(cause: unknown): ApiError {
  return new ApiError(
    503,
    'redis_replicas_unavailable',
    'too few Redis replicas confirmed the writes in time; not acknowledged, retry later',
    { headers: { 'Retry-After': '2' }, cause },
  );
}

/** Express error handler: maps ApiError and body-parser errors to JSON; anything else is a logged 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof ApiError) {
      res.locals.errorCode = error.code;
      res.set(error.headers);
      res
        .status(error.status)
        .json({ error: { code: error.code, message: error.message, details: error.details } });
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      // The rest of the body may still be coming: close rather than read it.
      res.set('Connection', 'close');
      res
        .status(413)
        .json({ error: { code: 'payload_too_large', message: 'the body is larger than 1 MiB' } });
      return;
    }
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: 'the body is not valid JSON' } });
      return;
    }
    if (type === 'request.aborted' || type === 'stream.not.readable') {
      res.status(400).json({ error: { code: 'bad_request', message: 'the request body could not be read' } });
      return;
    }
    if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
      res
        .status(415)
        .json({ error: { code: 'unsupported_encoding', message: String((error as Error).message) } });
      return;
    }
    logger.error('unhandled error', { err: error, method: req.method, path: req.path });
    res.status(500).json({ error: { code: 'internal_error', message: 'internal error' } });
  };
}
