import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';

/**
 * The only Bull Board writes operators need (paths below the board's mount, all `PUT`): retry a job or every
 * failed job, promote a delayed job or all of them, clean the failed jobs. Everything else Bull Board v9 offers —
 * add a job (it would bypass the reconcile route's checks), update a job's data, delay or priority, remove one
 * job, empty or obliterate a queue, pause or resume (resume would undo a quarantine), concurrency, rate limits,
 * job schedulers, history purge — is refused with 403.
 */
const ALLOWED_WRITES: readonly RegExp[] = [
  /^\/api\/queues\/[^/]+\/[^/]+\/retry$/,
  /^\/api\/queues\/[^/]+\/retry\/failed$/,
  /^\/api\/queues\/[^/]+\/[^/]+\/promote$/,
  /^\/api\/queues\/[^/]+\/promote$/,
  /^\/api\/queues\/[^/]+\/clean\/failed$/,
];

/** Lets reads through and only the allowlisted writes; anything else is a 403 with `board_action_forbidden`. */
export const allowBoardWrites: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') {
    next();
    return;
  }
  // Case-sensitive on purpose: Express routes ignore case, so only the exact spelling is let through.
  if (req.method === 'PUT' && ALLOWED_WRITES.some((pattern) => pattern.test(req.path))) {
    next();
    return;
  }
  next(
    new ApiError(
      403,
      'board_action_forbidden',
      'the dashboard allows only retry, promote and cleaning failed jobs; use the admin routes for the rest',
    ),
  );
};
