import type { HrRecord } from '@dirsync/contracts';
import { type Mapping, MappingLoadError } from '@dirsync/transform';

/**
 * HR fields the engine reads itself, whatever the mapping: the id, the work email (a protected user may be named
 * by it), the department and role the policy judges, and the manager the waiting list follows.
 */
export const ENGINE_HR_FIELDS: readonly string[] = [
  'externalId',
  'workEmail',
  'departmentCode',
  'role',
  'managerExternalId',
];

/**
 * The HR fields person state keeps (least data): what the mapping reads, what the engine reads, and the
 * operator's `HR_FIELDS`. A mapping that reads the record as a whole cannot say what it needs: then `HR_FIELDS`
 * is required, and without it start-up stops with a message naming the place in the mapping.
 */
export function resolveKeptHrFields(
  mapping: Pick<Mapping, 'file' | 'reads'>,
  hrFields: readonly string[] | undefined,
): ReadonlySet<string> {
  const extra = hrFields ?? [];
  if ('dynamic' in mapping.reads) {
    if (extra.length === 0) {
      throw new MappingLoadError(
        mapping.file,
        `${mapping.reads.dynamic}, so dirsync cannot tell which HR fields to keep; set HR_FIELDS to the comma-separated HR fields the mapping needs (every other field is dropped at intake), or name the fields in the mapping`,
      );
    }
    return new Set([...ENGINE_HR_FIELDS, ...extra]);
  }
  return new Set([...ENGINE_HR_FIELDS, ...mapping.reads.fields, ...extra]);
}

/** The record with only the kept fields (top level); the rest is never stored. */
export function keepHrFields(data: HrRecord, kept: ReadonlySet<string>): HrRecord {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (kept.has(key)) out[key] = value;
  return out as HrRecord;
}
