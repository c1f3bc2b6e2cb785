import { type HrRecord, parseEffectiveAt } from '@dirsync/contracts';
import type { PrehireReader } from '../scheduled-changes.js';
import { type HrSnapshot, type LoadSnapshotOptions, loadSnapshot, SnapshotError } from './load-snapshot.js';

/** A snapshot split by `effectiveAt`: rows in effect now, and the people whose row only takes effect later. */
export interface EffectiveRows {
  current: HrRecord[];
  /** People whose row is future-dated: left out of the comparison entirely (never drift, never orphans). */
  future: Set<string>;
}

/**
 * Splits snapshot rows on their optional `effectiveAt` (as on an event: a date-time with an offset, or a date in
 * `timeZone`). Rows in effect now lose the column, which is not an HR field; a malformed one refuses the snapshot.
 */
export function splitEffectiveRows(
  records: readonly HrRecord[],
  now: number,
  timeZone: string,
): EffectiveRows {
  const current: HrRecord[] = [];
  const future = new Set<string>();
  records.forEach((record, i) => {
    const { effectiveAt, ...rest } = record as HrRecord & { effectiveAt?: unknown };
    if (effectiveAt === undefined || effectiveAt === null) {
      current.push(record);
      return;
    }
    const read = typeof effectiveAt === 'string' ? parseEffectiveAt(effectiveAt, timeZone) : undefined;
    if (!read?.ok) {
      throw new SnapshotError(
        `HR_SNAPSHOT: record ${i + 1}: effectiveAt: ${read && !read.ok ? read.reason : 'must be a string'}`,
      );
    }
    if (read.epochMs > now) future.add(record.externalId);
    else current.push(rest as HrRecord);
  });
  return { current, future };
}

/**
 * The snapshot as in effect now: future-dated rows, and people created ahead of a future start, are set aside in
 * `notYetEffective`.
 */
export async function loadEffectiveSnapshot(
  source: string,
  options: { timeZone?: string | undefined; prehires?: PrehireReader | undefined },
  loadOptions?: LoadSnapshotOptions,
): Promise<HrSnapshot & { notYetEffective: Set<string> }> {
  const snapshot = await loadSnapshot(source, loadOptions);
  const { current, future } = splitEffectiveRows(snapshot.records, Date.now(), options.timeZone ?? 'UTC');
  const records: HrRecord[] = [];
  for (const record of current) {
    if (await options.prehires?.isPrehire(record.externalId)) future.add(record.externalId);
    else records.push(record);
  }
  return { ...snapshot, records, notYetEffective: future };
}
