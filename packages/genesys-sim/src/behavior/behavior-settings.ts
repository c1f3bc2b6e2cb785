import { z } from 'zod';

/**
 * How strictly the simulator plays Genesys. Each switch can be set at start (`SimulatorOptions.behavior`) and
 * at run time (`PUT /__sim/behavior`); the defaults are what a real Genesys org does, except where a switch says
 * otherwise (see the README).
 */
export interface BehaviorSettings {
  /** The org's division names; matched exactly as Genesys stores names, case-insensitively. */
  divisions: string[];
  /** A division name not in `divisions` is refused (400 `invalidValue` naming the attribute). */
  refuseUnknownDivisions: boolean;
  /** Removing a user's division is refused (400 `mutability`): every Genesys user has one. */
  refuseDivisionRemoval: boolean;
  /** Where a user created without a division lands; null leaves it without one. */
  homeDivision: string | null;
  /** Divisions the OAuth client has no grant for: API writes to (or into) them answer 403. */
  forbiddenDivisions: string[];
  /** Users in a forbidden division are also invisible to reads (lists skip them, GET by id is 404). */
  hideForbiddenDivisions: boolean;
  /** `phoneNumbers[].value` must be E.164 (`+` and 8–15 digits) or a tel URI (`tel:+14155550132;ext=123`). */
  requireE164Phones: boolean;
  /** The phone types the org accepts (Genesys's list varies by version). */
  phoneTypes: string[];
  /** The `work` e-mail is stored without `primary`; the `other` one (userName) is the primary. */
  dropWorkEmailPrimary: boolean;
  /** Every answer carries a fresh `ININ-Correlation-Id`. */
  correlationIds: boolean;
  /** A 400's `detail` names the refused attribute; off, it says only that the request was invalid. */
  errorDetailNamesAttribute: boolean;
  /** The org's routing skill names (case-sensitive); others are refused. */
  routingSkills: string[];
  /** The org's routing language names (case-sensitive); others are refused. */
  routingLanguages: string[];
}

export const DEFAULT_DIVISIONS = ['Home', 'Sales', 'Support', 'Engineering', 'Finance', 'HR', 'Operations'];
export const DEFAULT_PHONE_TYPES = [
  'work',
  'work2',
  'work3',
  'work4',
  'home',
  'mobile',
  'other',
  'microsoftteams',
  'zoomphone',
  'ringcentral',
];
export const DEFAULT_ROUTING_SKILLS = [
  'Billing',
  'Sales',
  'Support',
  'Technical Support',
  'Tier 1',
  'Tier 2',
  'Escalations',
  'Retention',
];
export const DEFAULT_ROUTING_LANGUAGES = [
  'English',
  'French',
  'German',
  'Spanish',
  'Dutch',
  'Italian',
  'Portuguese',
  'Japanese',
];

export const DEFAULT_BEHAVIOR: BehaviorSettings = {
  divisions: DEFAULT_DIVISIONS,
  refuseUnknownDivisions: true,
  refuseDivisionRemoval: true,
  homeDivision: 'Home',
  forbiddenDivisions: [],
  hideForbiddenDivisions: false,
  requireE164Phones: true,
  phoneTypes: DEFAULT_PHONE_TYPES,
  dropWorkEmailPrimary: true,
  correlationIds: true,
  errorDetailNamesAttribute: true,
  routingSkills: DEFAULT_ROUTING_SKILLS,
  routingLanguages: DEFAULT_ROUTING_LANGUAGES,
};

const names = z.array(z.string().trim().min(1));

/** A partial update (start options, PUT /__sim/behavior): only the fields given change. */
export const behaviorUpdateSchema = z
  .object({
    divisions: names.min(1),
    refuseUnknownDivisions: z.boolean(),
    refuseDivisionRemoval: z.boolean(),
    homeDivision: z.string().trim().min(1).nullable(),
    forbiddenDivisions: names,
    hideForbiddenDivisions: z.boolean(),
    requireE164Phones: z.boolean(),
    phoneTypes: names.min(1),
    dropWorkEmailPrimary: z.boolean(),
    correlationIds: z.boolean(),
    errorDetailNamesAttribute: z.boolean(),
    routingSkills: names,
    routingLanguages: names,
  })
  .partial()
  .strict();

export type BehaviorSettingsInput = z.input<typeof behaviorUpdateSchema>;

/** Merges a partial update (throws zod's error) into `base`; the home division must be one of the divisions. */
export function mergeBehavior(base: BehaviorSettings, input: unknown): BehaviorSettings {
  const update = behaviorUpdateSchema.parse(input ?? {});
  const defined = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
  const next = structuredClone({ ...base, ...defined }) as BehaviorSettings;
  if (next.homeDivision !== null && findName(next.divisions, next.homeDivision) === undefined) {
    throw new z.ZodError([
      {
        code: 'custom',
        path: ['homeDivision'],
        message: `homeDivision '${next.homeDivision}' must be one of the divisions`,
        input: next.homeDivision,
      },
    ]);
  }
  return next;
}

/** A division or phone type as the org spells it, matched case-insensitively. */
export function findName(list: readonly string[], wanted: string): string | undefined {
  const lower = wanted.toLowerCase();
  return list.find((n) => n.toLowerCase() === lower);
}

/** The behaviour in force, changeable at run time and restorable to the start options. */
export class BehaviorSwitches {
  private settings: BehaviorSettings;

  constructor(private readonly initial: BehaviorSettings = DEFAULT_BEHAVIOR) {
    this.settings = structuredClone(initial);
  }

  get current(): BehaviorSettings {
    return structuredClone(this.settings);
  }

  /** The live settings, not copied: for the request path, which only reads them. */
  get live(): Readonly<BehaviorSettings> {
    return this.settings;
  }

  update(input: unknown): BehaviorSettings {
    this.settings = mergeBehavior(this.settings, input);
    return this.current;
  }

  reset(): void {
    this.settings = structuredClone(this.initial);
  }
}
