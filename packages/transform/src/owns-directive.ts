import { isOwnedPath } from '@dirsync/scim';

/** The `dirsync:owns` directive of a mapping, or what is wrong with it. */
export type OwnsDirective = { ok: true; owned: string[] } | { ok: false; problem: string; offset: number };

const DIRECTIVE = /^dirsync:owns(?=\s|$)/;

/**
 * Reads the explicit ownership directive from the comments that open a mapping, e.g.
 * `/* dirsync:owns userName, displayName, emails[type eq "work"] *\/`: a comment of its own, its paths separated
 * by commas or line breaks. Several such comments add up. Undefined when there is none.
 */
export function readOwnsDirective(source: string): OwnsDirective | undefined {
  const owned: string[] = [];
  let found = false;
  let at = 0;
  for (;;) {
    while (at < source.length && /\s/.test(source.charAt(at))) at++;
    if (!source.startsWith('/*', at)) break;
    const end = source.indexOf('*/', at + 2);
    if (end < 0) break;
    const body = source
      .slice(at + 2, end)
      .split('\n')
      .map((line) => line.replace(/^\s*\*(?!\/)/, ''))
      .join('\n')
      .trim();
    const match = DIRECTIVE.exec(body);
    if (match) {
      found = true;
      const paths = body
        .slice(match[0].length)
        .split(/[,\n]/)
        .map((p) => p.trim())
        .filter((p) => p !== '');
      if (paths.length === 0)
        return { ok: false, problem: 'the dirsync:owns directive names no attribute', offset: at };
      const bad = paths.find((p) => !isOwnedPath(p));
      if (bad !== undefined) {
        return {
          ok: false,
          problem: `the dirsync:owns directive names "${bad}", which is not an attribute path (e.g. title, name.givenName, emails[type eq "work"], urn:…:User:department)`,
          offset: at,
        };
      }
      owned.push(...paths);
    }
    at = end + 2;
  }
  return found ? { ok: true, owned } : undefined;
}
