import { type AttributeMismatch, compareUser, type DiffOptions, type ScimUser } from '@dirsync/scim';
import { hashValue } from './refused-attributes.js';

/**
 * What the target answered for what was sent, per owned field where the two differ: field → [hash of the value
 * sent, hash of the value the target keeps]. Genesys drops a work e-mail's `primary`, spells roles its own way,
 * answers dates as YYYY-MM-DD: the next sync must not write over a difference the target itself made.
 */
export type TargetBaseline = Record<string, [sent: string, answered: string]>;

/** The baseline after a successful write: every field where the target's answer differs from what was sent. */
export function baselineAfterWrite(
  answer: ScimUser,
  desired: ScimUser,
  options: DiffOptions,
): TargetBaseline {
  const baseline: TargetBaseline = {};
  for (const m of compareUser(answer, desired, options))
    baseline[m.field] = [hashValue(m.expected), hashValue(m.actual)];
  return baseline;
}

/**
 * The fields where `current` differs from `desired` exactly as the target answered the last time this value was
 * sent: nothing to write there.
 */
export function fieldsTheTargetNormalised(
  current: ScimUser,
  desired: ScimUser,
  options: DiffOptions,
  baseline: TargetBaseline | undefined,
): string[] {
  if (!baseline) return [];
  return compareUser(current, desired, options)
    .filter((m) => {
      const known = baseline[m.field];
      return known !== undefined && known[0] === hashValue(m.expected) && known[1] === hashValue(m.actual);
    })
    .map((m) => m.field);
}

/**
 * Whether a difference after a write is one the target makes by itself (so not worth a report): an e-mail's
 * `primary` flag, the case of a role or division name, a date answered as YYYY-MM-DD.
 */
export function isTargetNormalisation(mismatch: AttributeMismatch): boolean {
  return stableForm(mismatch.expected) === stableForm(mismatch.actual);
}

function stableForm(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (typeof value === 'string') {
    const date = /^(\d{4}-\d{2}-\d{2})T/.exec(value);
    return (date?.[1] ?? value).toLowerCase();
  }
  if (Array.isArray(value))
    return value
      .map(canonical)
      .map((v) => JSON.stringify(v))
      .sort();
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== 'primary')
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, v]) => [key, canonical(v)]);
    return Object.fromEntries(entries);
  }
  return value;
}
