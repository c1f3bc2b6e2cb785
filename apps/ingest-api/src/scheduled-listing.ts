import type { ScheduledChanges } from '@dirsync/sync';

/** `GET /admin/scheduled`: pending changes by due time; ids, kinds and field names only, never HR values. */
export async function listScheduled(
  schedule: ScheduledChanges,
  options: { limit: number; offset: number },
): Promise<{ total: number; offset: number; scheduled: unknown[] }> {
  const [total, scheduled] = await Promise.all([schedule.count(), schedule.list(options)]);
  return { total, offset: options.offset, scheduled };
}
