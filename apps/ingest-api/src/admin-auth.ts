import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { AuthThrottle, clientKeyOf } from './auth-throttle.js';

export interface AdminAuthOptions {
  user: string | undefined;
  password: string | undefined;
  /** Backoff for failed sign-ins (default: one per process). */
  throttle?: AuthThrottle;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** localhost, 127.x.y.z or [::1], with an optional port. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/** True when the request comes from this machine and names this machine (no DNS rebinding). */
export function isLoopbackRequest(req: Pick<Request, 'socket' | 'headers'>): boolean {
  return LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') && LOOPBACK_HOST.test(req.headers.host ?? '');
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function credentialsMatch(header: string, user: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  const decoded = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  return (
    colon > 0 && sameSecret(decoded.slice(0, colon), user) && sameSecret(decoded.slice(colon + 1), password)
  );
}

/**
 * HTTP Basic auth for the dashboard and admin routes, with backoff after failed attempts (429 with Retry-After,
 * credentials not even checked while blocked). Without configured credentials (allowed outside production only)
 * the routes answer only clients on this machine that also name it in `Host` (a DNS-rebinding page names its own).
 */
export function adminAuth(options: AdminAuthOptions): RequestHandler {
  const { user, password } = options;
  const throttle = options.throttle ?? new AuthThrottle();
  return (req, res, next) => {
    if (user && password) {
      const client = clientKeyOf(req.socket.remoteAddress);
      const header = req.headers.authorization;
      const waitMs = header === undefined ? 0 : throttle.waitMs(client);
      if (waitMs > 0) {
        res.set('Retry-After', String(Math.ceil(waitMs / 1000)));
        res.status(429).json({
          error: { code: 'too_many_attempts', message: 'too many failed sign-ins; retry after the delay' },
        });
        return;
      }
      if (header !== undefined && credentialsMatch(header, user, password)) {
        throttle.recordSuccess(client);
        next();
        return;
      }
      // A browser's first request carries no credentials: only a wrong guess counts.
      if (header !== undefined) throttle.recordFailure(client);
      res.set('WWW-Authenticate', 'Basic realm="dirsync admin", charset="UTF-8"');
      res.status(401).json({ error: { code: 'unauthorized', message: 'admin credentials required' } });
      return;
    }
    if (isLoopbackRequest(req)) {
      next();
      return;
    }
    res.status(403).json({
      error: {
        code: 'admin_loopback_only',
        message:
          'admin routes answer only local clients (loopback address and Host) until ADMIN_USER and ADMIN_PASSWORD are set',
      },
    });
  };
}
