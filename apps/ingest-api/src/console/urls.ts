/** Every console URL, built in one place: path segments are percent-encoded here, markup escapes the rest. */

export const CONSOLE_PATHS = {
  overview: '/admin',
  people: '/admin/people',
  reports: '/admin/reports',
  queues: '/admin/queues',
  reconcile: '/admin/reconcile',
  assets: '/admin/console',
} as const;

/** The sync queue's failed jobs in Bull Board (jobs are named by the person's externalId). */
export const FAILED_SYNC_JOBS_PATH = `${CONSOLE_PATHS.queues}/queue/sync?status=failed`;

/** A person's page, or one of its actions. */
export function personPath(externalId: string, action?: 'resync' | 'retry' | 'read-live'): string {
  const base = `${CONSOLE_PATHS.people}/${encodeURIComponent(externalId)}`;
  return action ? `${base}/${action}` : base;
}

export function reportPath(id: string): string {
  return `${CONSOLE_PATHS.reports}/${encodeURIComponent(id)}`;
}

/** `path?query` with the defined, non-empty parameters only. */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
