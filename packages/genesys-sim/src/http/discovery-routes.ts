import { Router } from 'express';
import { ScimHttpError } from '../errors/scim-http-error.js';
import {
  groupResourceType,
  listResponse,
  serviceProviderConfig,
  userResourceType,
  userSchemas,
} from '../scim/discovery.js';
import type { SimContext } from '../state/sim-context.js';
import { sendScim } from './scim-response.js';

/** `/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`. */
export function createDiscoveryRouter(ctx: SimContext): Router {
  const router = Router();
  const base = () => `${ctx.origin()}${ctx.options.basePath}`;

  router.get('/ServiceProviderConfig', (_req, res) => sendScim(res, 200, serviceProviderConfig(base())));
  const resourceTypes = () => [userResourceType(base()), groupResourceType(base())];
  router.get('/ResourceTypes', (_req, res) => sendScim(res, 200, listResponse(resourceTypes())));
  router.get('/ResourceTypes/:name', (req, res) => {
    const found = resourceTypes().find((t) => t.id.toLowerCase() === req.params.name.toLowerCase());
    if (!found) throw new ScimHttpError(404, 'Resource type not found');
    sendScim(res, 200, found);
  });
  router.get('/Schemas', (_req, res) => sendScim(res, 200, listResponse(userSchemas(base()))));
  router.get('/Schemas/:id', (req, res) => {
    const schema = userSchemas(base()).find((s) => s.id.toLowerCase() === req.params.id.toLowerCase());
    if (!schema) throw new ScimHttpError(404, 'Schema not found');
    sendScim(res, 200, schema);
  });
  return router;
}
