import type { RequestHandler } from 'express';

/** A `<link>` element whose `href` is on another origin (`https://…`, `//…`), with the whitespace after it. */
const OUTSIDE_LINK = /<link\b[^>]*\bhref=["'](?:[a-z][a-z0-9+.-]*:)?\/\/[^"']*["'][^>]*>\s*/gi;

/** `html` without the `<link>` elements that would load something from another origin. */
export function removeOutsideLinks(html: string): string {
  return html.replace(OUTSIDE_LINK, '');
}

/**
 * Takes Bull Board's Google Fonts stylesheet out of its page: the admin CSP refuses it anyway (so every load logged a
 * CSP violation), and an admin page should not call out to another host. The page falls back to system fonts.
 * Bull Board renders its page with `res.render`; this wraps that one call for the requests below it.
 */
export const removeBoardOutsideLinks: RequestHandler = (_req, res, next) => {
  const render = res.render.bind(res);
  res.render = ((view: string, options?: object) => {
    render(view, options ?? {}, (error: Error | null, html: string) => {
      if (error) {
        next(error);
        return;
      }
      res.send(removeOutsideLinks(html));
    });
  }) as typeof res.render;
  next();
};
