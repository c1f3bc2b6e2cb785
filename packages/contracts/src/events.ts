import { z } from 'zod';

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

/**
 * An HR record: the full current state of one person (not a delta). The reference mapping's fields are typed;
 * other fields pass through for custom mappings.
 */
const hrRecordShape = z.looseObject({
  externalId: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(256, { error: 'must be at most 256 characters' }),
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
  managerExternalId: optionalText,
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

/** One HR event as sent by the directory. */
export const hrEventSchema = z.object({
  id: z.string().trim().min(1, { error: 'must not be empty' }).max(256).optional(),
  event: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }),
  occurredAt: z.iso
    .datetime({
      offset: true,
      error: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-11-28T09:00:00Z',
    })
    .optional(),
  data: hrRecordSchema,
});
export type HrEvent = z.infer<typeof hrEventSchema>;

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
