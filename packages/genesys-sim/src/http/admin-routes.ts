import { DirsyncError } from '@dirsync/core';
import express, { type ErrorRequestHandler, type Response, Router } from 'express';
import { ZodError, z } from 'zod';
import { ScimHttpError } from '../errors/scim-http-error.js';
import { CORE_USER_URN } from '../scim/urns.js';
import type { ScimUser } from '../scim/user-types.js';
import type { SimContext } from '../state/sim-context.js';
import { presentUser } from './present-user.js';

function adminError(res: Response, status: number, code: string, message: string, extra: object = {}): void {
  res.status(status).json({ error: { code, message, ...extra } });
}

function userState(ctx: SimContext, id: string) {
  const history = ctx.users.history(id);
  if (!history) return undefined;
  const user = ctx.users.get(id);
  return { user: user ? presentUser(ctx, user) : null, deleted: !user, history };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Creates every user of a seed batch or none: a failure rolls back the ones already created. */
function seed(ctx: SimContext, items: unknown[]): ScimUser[] {
  const created: ScimUser[] = [];
  try {
    items.forEach((item, index) => {
      if (!isPlainObject(item)) throw new ScimHttpError(400, `users[${index}] must be an object`);
      const { id, ...body } = item;
      if (id !== undefined && typeof id !== 'string')
        throw new ScimHttpError(400, `users[${index}].id must be a string`);
      try {
        created.push(
          ctx.users.create({ schemas: [CORE_USER_URN], ...body }, 'admin', id === undefined ? {} : { id }),
        );
      } catch (error) {
        if (error instanceof ScimHttpError && items.length > 1) {
          throw new ScimHttpError(error.status, `users[${index}]: ${error.message}`, {
            scimType: error.scimType,
          });
        }
        throw error;
      }
    });
  } catch (error) {
    for (const user of created) ctx.users.purge(user.id);
    throw error;
  }
  return created;
}

const groupName = z.string().trim().min(1);
/** `["Support", "Sales"]` or `{ "names": [...] }`. */
const groupNamesSchema = z.union([
  z.array(groupName).transform((names) => ({ names })),
  z.object({ names: z.array(groupName) }).strict(),
]);

/**
 * The `/__sim` test and operator surface: seed and inspect users, edit behind the client's back, read the
 * request log and counters, set faults, revoke tokens, reset. Plain JSON; errors as `{ error: { code, … } }`.
 */
export function createAdminRouter(ctx: SimContext, reset: () => void): Router {
  const router = Router();
  router.use(express.json({ type: ['application/json', 'application/scim+json'], limit: '10mb' }));

  router.post('/reset', (_req, res) => {
    reset();
    res.json({ reset: true });
  });

  router.post('/users', (req, res) => {
    const body: unknown = req.body;
    if (Array.isArray(body)) {
      res.status(201).json(seed(ctx, body));
      return;
    }
    if (isPlainObject(body) && Array.isArray(body.users)) {
      res.status(201).json(seed(ctx, body.users));
      return;
    }
    res.status(201).json(seed(ctx, [body])[0]);
  });

  router.get('/users', (_req, res) => {
    res.json(ctx.users.all().map((u) => presentUser(ctx, u)));
  });

  router.get('/users/by-external-id/:externalId', (req, res) => {
    const user = ctx.users.findByExternalId(req.params.externalId);
    const state = user ? userState(ctx, user.id) : undefined;
    if (!state) {
      adminError(res, 404, 'not_found', 'No user has that externalId');
      return;
    }
    res.json(state);
  });

  router.get('/users/:id', (req, res) => {
    const state = userState(ctx, req.params.id);
    if (!state) {
      adminError(res, 404, 'not_found', `No user '${req.params.id}' was ever created`);
      return;
    }
    res.json(state);
  });

  router.post('/users/:id/edit', (req, res) => {
    res.json(presentUser(ctx, ctx.users.edit(req.params.id, req.body)));
  });

  router.get('/requests', (req, res) => {
    const since = z.coerce.number().int().min(0).default(0).parse(req.query.since);
    res.json(ctx.metrics.requests(since));
  });

  router.get('/counters', (_req, res) => {
    res.json(ctx.metrics.counters());
  });

  router.get('/faults', (_req, res) => {
    res.json(ctx.faults.current);
  });

  router.put('/faults', (req, res) => {
    res.json(ctx.faults.update(req.body));
  });

  router.delete('/faults', (_req, res) => {
    ctx.faults.reset();
    res.json(ctx.faults.current);
  });

  router.get('/behavior', (_req, res) => {
    res.json(ctx.behavior.current);
  });

  router.put('/behavior', (req, res) => {
    res.json(ctx.behavior.update(req.body));
  });

  router.delete('/behavior', (_req, res) => {
    ctx.behavior.reset();
    res.json(ctx.behavior.current);
  });

  router.get('/groups', (_req, res) => {
    res.json(ctx.groups.all());
  });

  router.post('/groups', (req, res) => {
    res.status(201).json(ctx.groups.seed(groupNamesSchema.parse(req.body).names));
  });

  router.post('/tokens/revoke', (_req, res) => {
    res.json({ revoked: ctx.tokens.revokeAll() });
  });

  router.use((req, res) => adminError(res, 404, 'not_found', `No admin route ${req.method} ${req.path}`));

  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    if (error instanceof ScimHttpError) {
      adminError(res, error.status, error.code, error.message, {
        status: String(error.status),
        scimType: error.scimType,
      });
    } else if (error instanceof ZodError) {
      adminError(res, 400, 'invalid_request', z.prettifyError(error), { details: error.issues });
    } else if (error instanceof DirsyncError) {
      adminError(res, 400, error.code, error.message);
    } else if (
      typeof error === 'object' &&
      error !== null &&
      'type' in error &&
      error.type === 'entity.parse.failed'
    ) {
      adminError(res, 400, 'invalid_json', 'The body is not valid JSON');
    } else {
      ctx.logger.error('admin route failed', { error });
      adminError(res, 500, 'internal', 'Internal error');
    }
  };
  router.use(onError);
  return router;
}
