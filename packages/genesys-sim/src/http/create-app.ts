import express, { type ErrorRequestHandler, type Express, Router } from 'express';
import { ScimHttpError } from '../errors/scim-http-error.js';
import type { SimContext } from '../state/sim-context.js';
import { createAdminRouter } from './admin-routes.js';
import { correlationId } from './correlation-id.js';
import { createDiscoveryRouter } from './discovery-routes.js';
import { createGroupsRouter } from './groups-routes.js';
import { createOAuthRouter } from './oauth-routes.js';
import { scimGate } from './scim-gate.js';
import { sendScimError, sendScimHttpError } from './scim-response.js';
import { createUsersRouter } from './users-routes.js';

interface BodyParserError {
  type: string;
  status?: number;
}

const isBodyParserError = (e: unknown): e is BodyParserError =>
  typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string';

function scimErrors(ctx: SimContext): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof ScimHttpError) {
      if (error.scimType === 'invalidVers') ctx.metrics.conflictAnswered();
      sendScimHttpError(res, withoutAttributeWhenAsked(ctx, error));
    } else if (isBodyParserError(error) && error.type === 'entity.parse.failed') {
      sendScimError(res, 400, 'The body is not valid JSON', { scimType: 'invalidSyntax' });
    } else if (isBodyParserError(error) && error.type === 'entity.too.large') {
      sendScimError(res, 413, 'The body is too large');
    } else if (isBodyParserError(error) && error.status !== undefined && error.status < 500) {
      sendScimError(res, error.status, 'The body could not be read', { scimType: 'invalidSyntax' });
    } else {
      ctx.logger.error('scim handler failed', { error });
      sendScimError(res, 500, 'Internal simulator error');
    }
  };
}

/** Refusals whose detail Genesys sometimes leaves vague: the client must find the attribute by itself. */
const VAGUE_TYPES = new Set(['invalidValue', 'invalidPath', 'mutability', 'invalidSyntax']);

function withoutAttributeWhenAsked(ctx: SimContext, error: ScimHttpError): ScimHttpError {
  if (ctx.behavior.live.errorDetailNamesAttribute) return error;
  if (error.status !== 400 || !VAGUE_TYPES.has(error.scimType ?? '')) return error;
  return new ScimHttpError(400, 'The request could not be processed: a value is not valid', {
    scimType: error.scimType,
    cause: error,
  });
}

/** The simulator's Express app: OAuth, the SCIM root (gated), and `/__sim` when admin routes are on. */
export function createApp(ctx: SimContext, reset: () => void): Express {
  const app = express();
  app.disable('x-powered-by');
  // Our ETags are the users' versions; Express's body hashes would add ETags (and 304s) to lists.
  app.set('etag', false);
  app.use(correlationId(ctx));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(createOAuthRouter(ctx));

  const scim = Router();
  scim.use(...scimGate(ctx));
  scim.use(express.json({ type: ['application/json', 'application/scim+json'], limit: '1mb' }));
  scim.use(createUsersRouter(ctx));
  scim.use(createGroupsRouter(ctx));
  scim.use(createDiscoveryRouter(ctx));
  scim.use((req, res) => sendScimError(res, 404, `No SCIM endpoint ${req.method} ${req.path}`));
  scim.use(scimErrors(ctx));
  app.use(ctx.options.basePath, scim);

  if (ctx.options.admin) app.use('/__sim', createAdminRouter(ctx, reset));

  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `No route ${req.method} ${req.path}` } });
  });
  return app;
}
