import { type Request, type Response, Router } from 'express';
import { badRequest, ScimHttpError } from '../errors/scim-http-error.js';
import { readPatchBody } from '../scim/apply-patch.js';
import { parseGroupFilter } from '../scim/group-filter.js';
import { readMemberChanges } from '../scim/group-patch.js';
import type { ScimGroup } from '../scim/group-types.js';
import { LIST_RESPONSE_URN, MAX_PAGE_SIZE } from '../scim/urns.js';
import type { SimContext } from '../state/sim-context.js';
import { sendScim, sendScimError } from './scim-response.js';

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

/** `excludedAttributes=members` (or `attributes` without `members`) leaves the member list out. */
function withoutMembersWhenAsked(req: Request, group: ScimGroup): Partial<ScimGroup> {
  const list = (name: string) =>
    queryString(req, name)
      ?.split(',')
      .map((a) => a.trim().toLowerCase());
  const attributes = list('attributes');
  const excluded = list('excludedAttributes');
  const drop = attributes ? !attributes.includes('members') : (excluded?.includes('members') ?? false);
  if (!drop) return group;
  const { members: _members, ...rest } = group;
  return rest;
}

function groupId(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string') throw new ScimHttpError(404, 'Group not found');
  return id;
}

/**
 * `/Groups`: list (filter `displayName eq`, pages of at most 25), read, and PATCH of `members`. Genesys's SCIM
 * cannot create, replace or delete a group: those answer 405.
 */
export function createGroupsRouter(ctx: SimContext): Router {
  const router = Router();

  router.get('/Groups', (req, res) => {
    const count = Math.max(0, queryInt(req, 'count', MAX_PAGE_SIZE));
    if (count > MAX_PAGE_SIZE) {
      sendScimError(res, 429, `count may be at most ${MAX_PAGE_SIZE}`, { retryAfterSeconds: 1 });
      return;
    }
    const startIndex = Math.max(1, queryInt(req, 'startIndex', 1));
    const filterText = queryString(req, 'filter');
    let groups = ctx.groups.all();
    if (filterText !== undefined && filterText.trim() !== '')
      groups = groups.filter(parseGroupFilter(filterText));
    const page = groups.slice(startIndex - 1, startIndex - 1 + count);
    sendScim(res, 200, {
      schemas: [LIST_RESPONSE_URN],
      totalResults: groups.length,
      startIndex,
      itemsPerPage: page.length,
      Resources: page.map((g) => withoutMembersWhenAsked(req, g)),
    });
  });

  router.get('/Groups/:id', (req, res) => {
    const group = ctx.groups.get(groupId(req));
    if (!group) throw new ScimHttpError(404, `Group '${groupId(req)}' not found`);
    res.set('ETag', group.meta.version);
    sendScim(res, 200, withoutMembersWhenAsked(req, group));
  });

  router.patch('/Groups/:id', (req, res) => {
    const changes = readMemberChanges(readPatchBody(req.body));
    const group = ctx.groups.changeMembers(groupId(req), changes, req.get('if-match'));
    res.set('ETag', group.meta.version);
    sendScim(res, 200, group);
  });

  const notAllowed = (what: string) => (_req: Request, res: Response) => {
    res.set('Allow', what.startsWith('/Groups/') ? 'GET, PATCH' : 'GET');
    sendScimError(res, 405, `Groups cannot be created, replaced or deleted through SCIM in Genesys Cloud`);
  };
  router.post('/Groups', notAllowed('/Groups'));
  router.put('/Groups/:id', notAllowed('/Groups/'));
  router.delete('/Groups/:id', notAllowed('/Groups/'));
  return router;
}
