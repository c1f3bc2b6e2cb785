/**
 * The pages `pnpm screenshots` saves, in order: `name` is the file (`docs/screenshots/<name>.png`), `path` the URL
 * below the API with `{placeholders}` filled from what the demo left behind (see ScreenFacts). A page that answers
 * 404 is skipped with a note (a console page not built yet); one whose placeholder has no value is skipped too.
 */
export const PAGES: ReadonlyArray<{ name: string; path: string }> = [
  { name: 'overview', path: '/admin' },
  { name: 'people-search', path: '/admin/people?q={searchTerm}' },
  { name: 'person', path: '/admin/people/{failedPerson}' },
  { name: 'reports', path: '/admin/reports' },
  { name: 'report', path: '/admin/reports/{reportWithDiscrepancies}' },
  { name: 'bull-board', path: '/admin/queues' },
  { name: 'bull-board-failed', path: '/admin/queues/queue/sync?status=failed' },
];

/** What the pages' placeholders are filled with. */
export interface ScreenFacts {
  /** The externalId of a person whose sync failed (the demo's policy refusal). */
  failedPerson?: string;
  /** A term the people search finds several demo people by (the run's tag, in every id and e-mail). */
  searchTerm?: string;
  /** The id of a sync report that lists discrepancies (else the newest report). */
  reportWithDiscrepancies?: string;
}

/** `path` with its placeholders filled in (URL-encoded), or the name of the first one without a value. */
export function fillPath(path: string, facts: ScreenFacts): { path: string } | { missing: string } {
  let missing: string | undefined;
  const filled = path.replace(/\{(\w+)\}/g, (_match, key: string) => {
    const value = facts[key as keyof ScreenFacts];
    if (value === undefined) missing ??= key;
    return encodeURIComponent(value ?? '');
  });
  return missing === undefined ? { path: filled } : { missing };
}
