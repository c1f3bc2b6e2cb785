import express, { type Request, type Response, Router } from 'express';
import type { SimContext } from '../state/sim-context.js';

function readClientCredentials(req: Request): { id: string; secret: string } | undefined {
  const header = req.get('authorization');
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  // RFC 6749 §2.3.1 also allows the pair in the form body.
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (typeof body.client_id === 'string' && typeof body.client_secret === 'string') {
    return { id: body.client_id, secret: body.client_secret };
  }
  return undefined;
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  if (status === 401) res.set('WWW-Authenticate', 'Basic realm="genesys-sim"');
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

/** `POST /oauth/token`: the client-credentials grant of the Genesys login host. */
export function createOAuthRouter(ctx: SimContext): Router {
  const router = Router();
  router.post('/oauth/token', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const credentials = readClientCredentials(req);
    if (
      !credentials ||
      credentials.id !== ctx.options.clientId ||
      credentials.secret !== ctx.options.clientSecret
    ) {
      oauthError(res, 401, 'invalid_client', 'Client authentication failed');
      return;
    }
    const grantType = (req.body as Record<string, unknown> | undefined)?.grant_type;
    if (grantType === undefined) {
      oauthError(res, 400, 'invalid_request', 'grant_type is required');
      return;
    }
    if (grantType !== 'client_credentials') {
      oauthError(res, 400, 'unsupported_grant_type', 'Only client_credentials is supported');
      return;
    }
    const issued = ctx.tokens.issue();
    ctx.metrics.tokenIssued();
    ctx.logger.debug('access token issued', { bearerId: issued.tokenId });
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .json({ access_token: issued.accessToken, token_type: 'bearer', expires_in: issued.expiresIn });
  });
  return router;
}
