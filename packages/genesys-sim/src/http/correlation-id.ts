import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { SimContext } from '../state/sim-context.js';

export const CORRELATION_HEADER = 'ININ-Correlation-Id';

/** The correlation id this answer carries, when the `correlationIds` behaviour is on. */
export const correlationIdOf = (res: Response): string | undefined =>
  (res.locals as { ininCorrelationId?: string }).ininCorrelationId;

/** Every answer (SCIM, OAuth, errors) carries a fresh `ININ-Correlation-Id`, as Genesys's do. */
export function correlationId(ctx: SimContext): RequestHandler {
  return (_req, res, next) => {
    if (ctx.behavior.live.correlationIds) {
      const id = randomUUID();
      (res.locals as { ininCorrelationId?: string }).ininCorrelationId = id;
      res.set(CORRELATION_HEADER, id);
    }
    next();
  };
}
