import type { Request, Response } from 'express';

/**
 * True when the client prefers HTML to JSON. Accepting any type, or sending no `Accept`, counts as JSON (today's
 * scripts and `fetch` keep getting JSON); a browser's navigation (`text/html,…` before its any-type fallback at a
 * lower q) gets HTML.
 */
export function wantsHtml(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}

/** Answers the view as HTML (rendered by `page`) or as JSON, by the request's `Accept`. */
export function answer<T>(
  req: Request,
  res: Response,
  view: T,
  page: (view: T) => string,
  status = 200,
): void {
  res.vary('Accept');
  res.status(status);
  if (wantsHtml(req)) {
    res.type('html').send(page(view));
    return;
  }
  res.json(view);
}
