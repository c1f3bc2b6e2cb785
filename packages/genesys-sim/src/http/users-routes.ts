import { type Request, type RequestHandler, type Response, Router } from 'express';
import { isHiddenFromClient } from '../behavior/genesys-rules.js';
import { badRequest, ScimHttpError } from '../errors/scim-http-error.js';
import { parseListFilter } from '../scim/list-filter.js';
import { projectUser } from '../scim/project-attributes.js';
import { LIST_RESPONSE_URN, MAX_PAGE_SIZE } from '../scim/urns.js';
import type { ScimUser } from '../scim/user-types.js';
import type { SimContext } from '../state/sim-context.js';
import { presentUser } from './present-user.js';
import { SCIM_CONTENT_TYPE, sendScim, sendScimError } from './scim-response.js';

function queryString(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest('invalidValue', `'${name}' may be given once`);
  return value;
}

function queryInt(req: Request, name: string, fallback: number): number {
  const text = queryString(req, name);
  if (text === undefined || text.trim() === '') return fallback;
  if (!/^-?\d+$/.test(text.trim())) throw badRequest('invalidValue', `'${name}' must be an integer`);
  return Number.parseInt(text, 10);
}

function projection(req: Request) {
  return {
    attributes: queryString(req, 'attributes'),
    excludedAttributes: queryString(req, 'excludedAttributes'),
  };
}

/** PATCH, PUT and POST take SCIM JSON only; a JSON Patch (RFC 6902) content type is a client mistake. */
const requireScimJson: RequestHandler = (req, res, next) => {
  if (req.is(['application/scim+json', 'application/json'])) {
    next();
    return;
  }
  const given = req.get('content-type') ?? 'none';
  sendScimError(
    res,
    400,
    `Content-Type ${given} is not supported: send application/scim+json (or application/json)` +
      (given.includes('json-patch') ? '; SCIM PATCH is a PatchOp object, not an RFC 6902 JSON Patch' : ''),
    { scimType: 'invalidSyntax' },
  );
};

/** The `:id` route parameter (Express types it loosely once a shared middleware precedes the handler). */
function userId(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string') throw new ScimHttpError(404, 'User not found');
  return id;
}

function sendUser(res: Response, status: number, user: ScimUser, body: unknown): void {
  res.set('ETag', user.meta.version);
  if (status === 201) res.set('Location', user.meta.location);
  sendScim(res, status, body);
}

/** The If-Match fault: the user changes under the client just before its conditional write. */
function maybeConflict(ctx: SimContext, req: Request, id: string): string | undefined {
  const ifMatch = req.get('if-match');
  if (ifMatch !== undefined && ctx.users.get(id) && ctx.faults.conflict()) {
    ctx.users.touch(id, 'fault', 'version moved by the conflictRate fault');
  }
  return ifMatch;
}

/** `/Users`: list with filter and paging, read, create, replace, patch, delete. */
export function createUsersRouter(ctx: SimContext): Router {
  const router = Router();

  router.get('/Users', (req, res) => {
    const count = Math.max(0, queryInt(req, 'count', MAX_PAGE_SIZE));
    if (count > MAX_PAGE_SIZE) {
      // Genesys throttles pages over 25 rather than capping them.
      sendScimError(res, 429, `count may be at most ${MAX_PAGE_SIZE}`, { retryAfterSeconds: 1 });
      return;
    }
    const startIndex = Math.max(1, queryInt(req, 'startIndex', 1));
    const filterText = queryString(req, 'filter');
    let users = ctx.users.all().filter((u) => !isHiddenFromClient(ctx.behavior.live, u));
    if (filterText === undefined || filterText.trim() === '') {
      users = users.filter((u) => u.active);
    } else {
      const filter = parseListFilter(filterText);
      const hideInactive = ctx.options.hideInactiveFromFilters && !filter.mentionsActive;
      users = users.filter((u) => filter.matches(u) && (!hideInactive || u.active));
    }
    const page = users.slice(startIndex - 1, startIndex - 1 + count);
    const shape = projection(req);
    sendScim(res, 200, {
      schemas: [LIST_RESPONSE_URN],
      totalResults: users.length,
      startIndex,
      itemsPerPage: page.length,
      Resources: page.map((u) => projectUser(presentUser(ctx, u), shape)),
    });
  });

  router.post('/Users', requireScimJson, (req, res) => {
    const user = ctx.users.create(req.body, 'api');
    sendUser(res, 201, user, presentUser(ctx, user));
  });

  router.get('/Users/:id', (req, res) => {
    const found = ctx.users.get(req.params.id);
    const user = found && !isHiddenFromClient(ctx.behavior.live, found) ? found : undefined;
    if (!user) throw new ScimHttpError(404, `User '${req.params.id}' not found`);
    const ifNoneMatch = req.get('if-none-match');
    if (ifNoneMatch !== undefined && matchesVersion(ifNoneMatch, user.meta.version)) {
      res.status(304).set('ETag', user.meta.version).type(SCIM_CONTENT_TYPE).end();
      return;
    }
    sendUser(res, 200, user, projectUser(presentUser(ctx, user), projection(req)));
  });

  router.put('/Users/:id', requireScimJson, (req, res) => {
    const id = userId(req);
    const ifMatch = maybeConflict(ctx, req, id);
    const user = ctx.users.replace(id, req.body, 'api', ifMatch);
    sendUser(res, 200, user, presentUser(ctx, user));
  });

  router.patch('/Users/:id', requireScimJson, (req, res) => {
    const id = userId(req);
    const ifMatch = maybeConflict(ctx, req, id);
    const user = ctx.users.patch(id, req.body, 'api', ifMatch);
    sendUser(res, 200, user, presentUser(ctx, user));
  });

  router.delete('/Users/:id', (req, res) => {
    ctx.users.remove(req.params.id, 'api', req.get('if-match'));
    ctx.groups.dropUser(req.params.id);
    res.status(204).end();
  });

  return router;
}

function matchesVersion(header: string, version: string): boolean {
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === version;
  });
}
