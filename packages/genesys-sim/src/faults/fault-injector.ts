import {
  DEFAULT_FAULTS,
  type FaultSettings,
  type FaultSettingsInput,
  faultSettingsUpdateSchema,
} from './fault-settings.js';
import { seededRandom } from './seeded-random.js';

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'reset' }
  | {
      kind: 'answer';
      status: number;
      scimType?: string;
      detail: string;
      retryAfterSeconds?: number;
      source: 'failNext' | 'throttleBurst' | 'serverError';
    };

const SERVER_ERRORS = [500, 502, 503] as const;

/** Merges a partial update (validated with zod; throws its ZodError) into `base`. */
export function mergeFaults(base: FaultSettings, input: FaultSettingsInput | unknown): FaultSettings {
  const update = faultSettingsUpdateSchema.parse(input ?? {});
  const defined = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
  return structuredClone({ ...base, ...defined }) as FaultSettings;
}

/**
 * Decides, per SCIM request, which fault (if any) to inject. Rate-based faults draw from a seeded generator,
 * and only when their rate is above 0, so a test that sets one rate gets the same sequence every run.
 */
export class FaultInjector {
  private settings: FaultSettings;
  private random: () => number;

  constructor(private readonly initial: FaultSettings = DEFAULT_FAULTS) {
    this.settings = structuredClone(initial);
    this.random = seededRandom(initial.seed);
  }

  get current(): FaultSettings {
    return structuredClone(this.settings);
  }

  /** Applies a partial update; a new `seed` restarts the random sequence. */
  update(input: unknown): FaultSettings {
    const next = mergeFaults(this.settings, input);
    const seeded = typeof input === 'object' && input !== null && 'seed' in input;
    this.settings = next;
    if (seeded) this.random = seededRandom(next.seed);
    return this.current;
  }

  /** Back to the start options, sequence restarted. */
  reset(): void {
    this.settings = structuredClone(this.initial);
    this.random = seededRandom(this.initial.seed);
  }

  private draw(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  /** Extra delay for this request from a latency spike, or 0. */
  spikeMs(): number {
    return this.draw(this.settings.latencySpikeRate) ? this.settings.latencySpikeMs : 0;
  }

  decide(method: string, path: string): FaultDecision {
    if (this.draw(this.settings.connectionResetRate)) return { kind: 'reset' };

    const rules = this.settings.failNext;
    const index = rules.findIndex(
      (r) => (!r.method || r.method === method) && (!r.pathPattern || new RegExp(r.pathPattern).test(path)),
    );
    const rule = rules[index];
    if (rule) {
      rule.count -= 1;
      if (rule.count <= 0) rules.splice(index, 1);
      return {
        kind: 'answer',
        status: rule.status,
        scimType: rule.scimType,
        detail: rule.detail ?? `Injected failure (${rule.status})`,
        retryAfterSeconds: rule.retryAfterSeconds,
        source: 'failNext',
      };
    }

    const burst = this.settings.throttleBurst;
    if (burst.count > 0) {
      burst.count -= 1;
      return {
        kind: 'answer',
        status: 429,
        detail: 'Rate limit exceeded (injected throttle burst)',
        retryAfterSeconds: burst.retryAfterSeconds,
        source: 'throttleBurst',
      };
    }

    if (this.draw(this.settings.serverErrorRate)) {
      const status = SERVER_ERRORS[Math.floor(this.random() * SERVER_ERRORS.length)] ?? 500;
      return { kind: 'answer', status, detail: `Injected server error (${status})`, source: 'serverError' };
    }
    return { kind: 'none' };
  }

  /** Whether to move a user's version before this If-Match write, as if an administrator just edited it. */
  conflict(): boolean {
    return this.draw(this.settings.conflictRate);
  }
}
