import { z } from 'zod';

const rate = z.number().min(0).max(1);
const seconds = z.number().int().min(0).max(86_400);

export const failRuleSchema = z.object({
  /** HTTP method to match (any when absent). */
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .optional(),
  /** A regular expression tested against the request path (without the query), e.g. `/Users/[^/]+$`. */
  pathPattern: z
    .string()
    .refine(
      (p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      },
      { error: 'must be a valid regular expression' },
    )
    .optional(),
  status: z.number().int().min(400).max(599),
  scimType: z.string().optional(),
  detail: z.string().optional(),
  /** Added as `Retry-After` when set (429/503 rules). */
  retryAfterSeconds: seconds.optional(),
  /** How many matching requests this rule answers before it is used up. */
  count: z.number().int().min(1).default(1),
});

export type FailRule = z.output<typeof failRuleSchema>;
export type FailRuleInput = z.input<typeof failRuleSchema>;

/** Every fault the simulator can inject, as one JSON-friendly object. */
export interface FaultSettings {
  /** Seed of the generator that decides rate-based faults; setting it restarts the sequence. */
  seed: number;
  /** Share of SCIM requests answered 500, 502 or 503. */
  serverErrorRate: number;
  /** Share of SCIM requests whose socket is destroyed without an answer. */
  connectionResetRate: number;
  /** Share of PATCH/PUT with If-Match for which the user's version moves first (→ 400 invalidVers). */
  conflictRate: number;
  /** Share of SCIM requests delayed by `latencySpikeMs` more. */
  latencySpikeRate: number;
  latencySpikeMs: number;
  /** The next `count` SCIM requests are answered 429 with `Retry-After: retryAfterSeconds`. */
  throttleBurst: { count: number; retryAfterSeconds: number };
  /** One-shot answers for precise tests; the first matching rule with count left is used. */
  failNext: FailRule[];
}

export const DEFAULT_FAULTS: FaultSettings = {
  seed: 1,
  serverErrorRate: 0,
  connectionResetRate: 0,
  conflictRate: 0,
  latencySpikeRate: 0,
  latencySpikeMs: 0,
  throttleBurst: { count: 0, retryAfterSeconds: 1 },
  failNext: [],
};

/** A partial update (start options, PUT /__sim/faults): only the fields given change. */
export const faultSettingsUpdateSchema = z
  .object({
    seed: z.number().int(),
    serverErrorRate: rate,
    connectionResetRate: rate,
    conflictRate: rate,
    latencySpikeRate: rate,
    latencySpikeMs: z.number().int().min(0).max(120_000),
    throttleBurst: z.object({ count: z.number().int().min(0), retryAfterSeconds: seconds.default(1) }),
    failNext: z.array(failRuleSchema),
  })
  .partial()
  .strict();

/** Fault settings as a caller writes them: every field optional, `failNext[].count` defaulting to 1. */
export type FaultSettingsInput = z.input<typeof faultSettingsUpdateSchema>;
