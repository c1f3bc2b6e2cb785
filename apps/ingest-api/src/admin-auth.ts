import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

export interface AdminAuthOptions {
  user: string | undefined;
  password: string | undefined;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * HTTP Basic auth for the dashboard and admin routes. Without configured credentials (allowed outside
 * production only) the routes answer loopback clients only.
 */
export function adminAuth(options: AdminAuthOptions): RequestHandler {
  const { user, password } = options;
  return (req, res, next) => {
    if (user && password) {
      const header = req.headers.authorization ?? '';
      const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
      const decoded = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      const ok =
        colon > 0 &&
        sameSecret(decoded.slice(0, colon), user) &&
        sameSecret(decoded.slice(colon + 1), password);
      if (ok) {
        next();
        return;
      }
      res.set('WWW-Authenticate', 'Basic realm="dirsync admin", charset="UTF-8"');
      res.status(401).json({ error: { code: 'unauthorized', message: 'admin credentials required' } });
      return;
    }
    if (LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      next();
      return;
    }
    res.status(403).json({
      error: {
        code: 'admin_loopback_only',
        message: 'admin routes answer only local clients until ADMIN_USER and ADMIN_PASSWORD are set',
      },
    });
  };
}
