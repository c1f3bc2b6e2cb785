import type { Logger } from '@dirsync/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError } from '../api-error.js';
import { type ConsoleChrome, renderErrorPage } from './layout.js';
import { wantsHtml } from './negotiate.js';

/** An admin path nothing answered: a 404 page for a browser; JSON clients fall through to the JSON 404. */
export function htmlNotFound(): RequestHandler {
  return (req, _res, next) => {
    next(wantsHtml(req) ? new ApiError(404, 'not_found', 'no such page') : undefined);
  };
}

/**
 * Errors of admin requests that asked for HTML, as a small page with the same status, code and message as the
 * JSON answer would carry; everything else goes on to the JSON error handler.
 */
export function htmlErrors(chrome: ConsoleChrome, logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent || !wantsHtml(req)) {
      next(error);
      return;
    }
    res.vary('Accept');
    if (error instanceof ApiError) {
      res.locals.errorCode = error.code;
      res.set(error.headers);
      res
        .status(error.status)
        .type('html')
        .send(renderErrorPage(chrome, error.status, error.code, error.message));
      return;
    }
    const type = (error as { type?: string }).type;
    if (type !== undefined) {
      // Body-parser errors keep their JSON answers (a page never sends a body a browser form could).
      next(error);
      return;
    }
    logger.error('unhandled error', { err: error, method: req.method, path: req.path });
    res
      .status(500)
      .type('html')
      .send(renderErrorPage(chrome, 500, 'internal_error', 'internal error'));
  };
}
