import type { RequestHandler } from 'express';

/**
 * The Content-Security-Policy of every admin answer. Bull Board's page loads its scripts, styles and images from
 * its own static path, sets inline `style` attributes and one inline `<style>` (hence 'unsafe-inline' for styles
 * only), and carries its configuration in a non-executed `application/json` script; its Google Fonts stylesheet
 * is taken out of the page (board-page-links.ts: the page uses system fonts rather than calling out).
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Browser-facing headers on every admin answer: no framing, no type sniffing, nothing cached. */
export const adminHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': ADMIN_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  });
  next();
};
