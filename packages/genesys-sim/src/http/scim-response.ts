import type { Response } from 'express';
import type { ScimHttpError } from '../errors/scim-http-error.js';
import { ERROR_URN } from '../scim/urns.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

export interface ScimErrorBody {
  schemas: [typeof ERROR_URN];
  /** The HTTP status as a string, as Genesys (and RFC 7644) send it. */
  status: string;
  scimType?: string;
  detail: string;
}

export function scimErrorBody(status: number, detail: string, scimType?: string): ScimErrorBody {
  return { schemas: [ERROR_URN], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

export function sendScim(res: Response, status: number, body: unknown): void {
  res.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
}

export function sendScimError(
  res: Response,
  status: number,
  detail: string,
  options: { scimType?: string; retryAfterSeconds?: number } = {},
): void {
  if (options.retryAfterSeconds !== undefined) res.set('Retry-After', String(options.retryAfterSeconds));
  sendScim(res, status, scimErrorBody(status, detail, options.scimType));
}

export function sendScimHttpError(res: Response, error: ScimHttpError): void {
  sendScimError(res, error.status, error.message, {
    scimType: error.scimType,
    retryAfterSeconds: error.retryAfterSeconds,
  });
}
