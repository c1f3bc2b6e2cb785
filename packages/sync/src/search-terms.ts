import type { ScimUser } from '@dirsync/scim';

/** What the people search keeps of a person: what its results show, and the terms indexed for them. */
export interface SearchDoc {
  /** userName */
  u?: string;
  /** displayName */
  d?: string;
  /** The terms indexed, so a rename can take the old ones out. */
  t: string[];
}

/** Between a term and the externalId in a search member: sorts below every character a term holds. */
export const TERM_SEPARATOR = '\0';
const MAX_TERM_LENGTH = 100;
const MAX_TERMS = 48;
const WORD_BREAK = /[\s.,;:@_+\-/()'"<>]+/;

/** How the search compares: lower case, one space between words, no separator character. */
export function normalizeTerm(text: string): string {
  return text.replaceAll(TERM_SEPARATOR, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The terms a person is found by: their externalId, userName, e-mail addresses, display name and given and family
 * name, each whole and word by word (so any word's prefix finds them), in lower case.
 */
export function searchTerms(externalId: string, user: ScimUser | undefined): string[] {
  const wholes = [externalId];
  if (user) {
    const name = user.name as { givenName?: unknown; familyName?: unknown } | undefined;
    wholes.push(
      str(user.userName),
      str(user.displayName),
      [str(name?.givenName), str(name?.familyName)].join(' '),
      ...(user.emails ?? []).map((email) => str(email?.value)),
    );
  }
  const terms = new Set<string>();
  for (const whole of wholes) {
    const normal = normalizeTerm(whole);
    if (!normal) continue;
    terms.add(normal.slice(0, MAX_TERM_LENGTH));
    for (const word of normal.split(WORD_BREAK)) if (word) terms.add(word.slice(0, MAX_TERM_LENGTH));
  }
  return [...terms].slice(0, MAX_TERMS);
}

/** The search's record of a person, from what the mapping made of their HR record. */
export function searchDoc(externalId: string, user: ScimUser | undefined): SearchDoc {
  const doc: SearchDoc = { t: searchTerms(externalId, user) };
  const userName = str(user?.userName);
  const displayName = str(user?.displayName);
  if (userName) doc.u = userName;
  if (displayName) doc.d = displayName;
  return doc;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
