import type { Request, RequestHandler } from 'express';
import { ApiError } from './api-error.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}

function isJson(req: Request): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json';
}

/** Why a browser sent this request from another site, or undefined when it did not (or no browser sent it). */
function crossSiteReason(req: Request): string | undefined {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site: ${site}`;
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  // Host only: behind a TLS-terminating proxy the page's scheme (https) is not the one this server sees.
  return host !== undefined && host === req.headers.host?.toLowerCase() ? undefined : 'Origin';
}

/**
 * State-changing admin requests: refused (403) when a browser sends them from another site — a page elsewhere
 * cannot make an operator's browser act with its stored Basic credentials — and accepted only as JSON (415), the
 * one type a cross-site form cannot send. A script that sends neither `Origin` nor `Sec-Fetch-Site` needs nothing
 * but Basic auth. `allowEmptyBody`: a request without a body needs no type (Bull Board's buttons send none).
 */
export function guardAdminWrites(options: { allowEmptyBody?: boolean } = {}): RequestHandler {
  return (req, _res, next) => {
    if (READS.has(req.method)) {
      next();
      return;
    }
    const crossSite = crossSiteReason(req);
    if (crossSite !== undefined) {
      next(
        new ApiError(
          403,
          'cross_site_request',
          `refused a state-changing admin request a browser sent from another site (${crossSite})`,
        ),
      );
      return;
    }
    if (!isJson(req) && (hasBody(req) || !options.allowEmptyBody)) {
      next(
        new ApiError(
          415,
          'unsupported_media_type',
          'state-changing admin requests take JSON (Content-Type: application/json)',
        ),
      );
      return;
    }
    next();
  };
}
