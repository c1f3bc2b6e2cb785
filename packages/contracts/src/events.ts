import { z } from 'zod';
import { parseEffectiveAt } from './effective-at.js';
import { parseIsoInstant } from './iso-instant.js';

/** The HR lifecycle events dirsync accepts (contract, "Ingest API"). */
export const EVENT_TYPES = ['user.created', 'user.updated', 'user.deactivated', 'user.reactivated'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Most events one webhook request may carry. */
export const MAX_EVENTS_PER_REQUEST = 1000;
/** An event dated further in the future than this is refused: a clock that far off would win every race. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/** Keys that could pollute prototypes when a record is merged or mapped; refused anywhere in `data`. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 8;
const MAX_STRING = 4096;

function findForbidden(
  value: unknown,
  path: (string | number)[],
  depth: number,
): { path: (string | number)[]; why: string } | undefined {
  if (depth > MAX_DEPTH) return { path, why: `nested deeper than ${MAX_DEPTH} levels` };
  if (typeof value === 'string' && value.length > MAX_STRING)
    return { path, why: `longer than ${MAX_STRING} characters` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findForbidden(value[i], [...path, i], depth + 1);
      if (hit) return hit;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return { path: [...path, key], why: `the key "${key}" is not allowed` };
      const hit = findForbidden((value as Record<string, unknown>)[key], [...path, key], depth + 1);
      if (hit) return hit;
    }
  }
  return undefined;
}

const optionalText = z.string().max(MAX_STRING).nullable().optional();

// An id is compared byte for byte: `" HR-1 "` is not `HR-1`, and trimming it silently would merge two people.
// Whitespace and invisible format characters at either end, or a control character anywhere, are refused instead.
const EDGE_SPACE = /^[\s\p{Cf}]|[\s\p{Cf}]$/u;
const CONTROL = /\p{Cc}/u;

/**
 * An HR id as sent, refused (never trimmed) when it has whitespace at an end or a control character. With
 * `blankIsNone` a blank value (`""`, spaces) passes: it names nobody, so it cannot merge two people.
 */
function exactId(options: { blankIsNone?: boolean } = {}) {
  return z
    .string({ error: 'must be a string' })
    .max(256, { error: 'must be at most 256 characters' })
    .refine((id) => !EDGE_SPACE.test(id) || (options.blankIsNone === true && id.trim() === ''), {
      error: 'must not start or end with whitespace',
    })
    .refine((id) => !CONTROL.test(id), { error: 'must not contain control characters' });
}

/** Event ids travel in headers and logs as trace ids, so only printable ASCII survives unchanged. */
const PRINTABLE_ASCII_ID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * An event id or a `webhook-id`: 1–256 printable ASCII characters, no space at either end (issue 14: `\n` and
 * `☃` were mangled on their way through headers).
 */
export const eventIdSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(256, { error: 'must be at most 256 characters' })
  .regex(PRINTABLE_ASCII_ID, {
    error: 'must be printable ASCII (letters, digits, punctuation), without spaces at either end',
  });

/**
 * An HR record: the full current state of one person (not a delta). The reference mapping's fields are typed;
 * other fields pass through for custom mappings.
 */
const hrRecordShape = z.looseObject({
  externalId: exactId().min(1, { error: 'must not be empty' }),
  firstName: optionalText,
  lastName: optionalText,
  workEmail: optionalText,
  title: optionalText,
  departmentCode: optionalText,
  level: z
    .union([z.string().max(64), z.number()])
    .nullable()
    .optional(),
  costCenter: optionalText,
  hireDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}/, { error: 'must be a date, YYYY-MM-DD' })
    .nullable()
    .optional(),
  role: optionalText,
  phone: optionalText,
  // Blank stays "no manager", as the mapping reads it.
  managerExternalId: exactId({ blankIsNone: true }).nullable().optional(),
  division: optionalText,
});

/**
 * The HR record with the raw input checked first: zod copies objects by assignment, which would turn a
 * `"__proto__"` key into a prototype before any refinement saw it.
 */
export const hrRecordSchema = z
  .unknown()
  .superRefine((raw, ctx) => {
    const hit = findForbidden(raw, [], 0);
    if (hit) ctx.addIssue({ code: 'custom', path: hit.path, message: hit.why });
  })
  .pipe(hrRecordShape);
export type HrRecord = z.infer<typeof hrRecordSchema>;

/** A validated HR event (the output of {@link hrEventSchema}). */
export interface HrEvent {
  id?: string | undefined;
  event: EventType;
  /** As sent. */
  occurredAt?: string | undefined;
  /** `occurredAt` in epoch milliseconds (floored), present with it. */
  occurredAtMs?: number | undefined;
  /** `occurredAt` as a canonical UTC instant with 9 fraction digits, present with it: string order is time order. */
  occurredAtInstant?: string | undefined;
  /**
   * When the change takes effect, as sent: an ISO-8601 date-time with an offset, or `YYYY-MM-DD` (00:00 in
   * `HR_TIMEZONE`). Absent: at `occurredAt`. The schema checks its form only; the zone is the host's to apply.
   */
  effectiveAt?: string | undefined;
  /** `effectiveAt` in epoch ms, once the host has read it in its `HR_TIMEZONE`. */
  effectiveAtMs?: number | undefined;
  data: HrRecord;
}

// The form is checked here; a date's instant depends on HR_TIMEZONE, which the host applies.
const effectiveAtSchema = z.string({ error: 'must be a string' }).superRefine((text, ctx) => {
  const read = parseEffectiveAt(text, 'UTC');
  if (!read.ok) ctx.addIssue({ code: 'custom', message: read.reason });
});

/** `occurredAt` as sent, read once into its instant (see {@link parseIsoInstant}). */
const occurredAtSchema = z.string({ error: 'must be a string' }).transform((text, ctx) => {
  const read = parseIsoInstant(text);
  if (read.ok) return { text, instant: read.instant };
  ctx.addIssue({ code: 'custom', message: read.reason });
  return z.NEVER;
});

/**
 * One HR event as sent by the directory. `occurredAt` stays as sent; when present, the parsed event adds
 * `occurredAtMs` (epoch milliseconds, as `Date.parse` would give) and `occurredAtInstant` (the full-precision UTC
 * instant, fixed width, ordered by {@link compareInstants}).
 */
export const hrEventSchema = z
  .object({
    id: eventIdSchema.optional(),
    event: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }),
    occurredAt: occurredAtSchema.optional(),
    effectiveAt: effectiveAtSchema.optional(),
    data: hrRecordSchema,
  })
  .transform(({ occurredAt, effectiveAt, ...rest }): HrEvent => {
    const withEffective = effectiveAt === undefined ? rest : { ...rest, effectiveAt };
    if (!occurredAt) return withEffective;
    return {
      ...withEffective,
      occurredAt: occurredAt.text,
      occurredAtMs: occurredAt.instant.epochMs,
      occurredAtInstant: occurredAt.instant.canonical,
    };
  });

/** A webhook body: one event, or `{ events: [...] }` with up to 1,000 events. */
export const webhookBodySchema = z.union([
  z.object({
    events: z
      .array(hrEventSchema)
      .min(1, { error: 'must hold at least one event' })
      .max(MAX_EVENTS_PER_REQUEST, { error: `must hold at most ${MAX_EVENTS_PER_REQUEST} events` }),
  }),
  hrEventSchema,
]);
