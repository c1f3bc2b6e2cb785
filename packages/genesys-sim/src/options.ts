import { DirsyncError, type Logger } from '@dirsync/core';
import { z } from 'zod';
import {
  type BehaviorSettings,
  type BehaviorSettingsInput,
  DEFAULT_BEHAVIOR,
  mergeBehavior,
} from './behavior/behavior-settings.js';
import { mergeFaults } from './faults/fault-injector.js';
import { DEFAULT_FAULTS, type FaultSettings, type FaultSettingsInput } from './faults/fault-settings.js';
import { type Clock, systemClock } from './state/clock.js';

export interface SimulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Accepted client-credentials pair; default `dirsync-local` / `dirsync-local-secret`. */
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of an access token; default 3600 s. */
  tokenTtlSeconds?: number;
  /** SCIM requests per token in any sliding 60-second window; default 300 (Genesys's default). */
  rateLimitPerMinute?: number;
  /** Added to every SCIM request; default 0. */
  latencyMs?: number;
  /** Serve the `/__sim` test and operator routes; default false. */
  admin?: boolean;
  /** Hide inactive users from filters that do not mention `active`; default false (they match). */
  hideInactiveFromFilters?: boolean;
  /** The organisation's role names; default employee, agent, supervisor, admin. */
  roles?: string[];
  /** The role every user gets on create; default `employee` (added to `roles` if missing). */
  defaultRole?: string;
  /** SCIM root; default `/api/v2/scim/v2`. */
  basePath?: string;
  /** Faults active from the start (and restored by `/__sim/reset`). */
  faults?: FaultSettingsInput;
  /** How strictly Genesys is played (divisions, phones, e-mail primary, correlation ids, catalogues…); realistic by default. */
  behavior?: BehaviorSettingsInput;
  /** Names of the org's groups, created at start (and again by `/__sim/reset`) without members. */
  groups?: string[];
  /** Time source for token expiry and rate windows; tests pass a `ManualClock`. */
  clock?: Clock;
  /** Entries kept in the request log; default 10,000. */
  requestLogLimit?: number;
  logger?: Logger;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  rateLimitPerMinute: number;
  latencyMs: number;
  admin: boolean;
  hideInactiveFromFilters: boolean;
  roles: string[];
  defaultRole: string;
  basePath: string;
  faults: FaultSettings;
  behavior: BehaviorSettings;
  groups: string[];
  clock: Clock;
  requestLogLimit: number;
}

export const DEFAULT_ROLES = ['employee', 'agent', 'supervisor', 'admin'];

const schema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  clientId: z.string().min(1).default('dirsync-local'),
  clientSecret: z.string().min(1).default('dirsync-local-secret'),
  tokenTtlSeconds: z.number().int().min(1).default(3600),
  rateLimitPerMinute: z.number().int().min(1).default(300),
  latencyMs: z.number().int().min(0).default(0),
  admin: z.boolean().default(false),
  hideInactiveFromFilters: z.boolean().default(false),
  roles: z.array(z.string().min(1)).min(1).default(DEFAULT_ROLES),
  defaultRole: z.string().min(1).default('employee'),
  basePath: z
    .string()
    .regex(/^\/[^?#]*[^/?#]$/, { error: 'must start with / and not end with /' })
    .default('/api/v2/scim/v2'),
  requestLogLimit: z.number().int().min(1).default(10_000),
  groups: z.array(z.string().trim().min(1)).default([]),
});

/** Applies defaults and checks ranges; a bad option is a programming error, thrown at once. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const { faults, behavior, clock, logger: _logger, ...plain } = options;
  const parsed = schema.safeParse(plain);
  if (!parsed.success) {
    throw new DirsyncError(
      'invalid_sim_options',
      `Invalid simulator options: ${z.prettifyError(parsed.error)}`,
    );
  }
  const roles = parsed.data.roles.includes(parsed.data.defaultRole)
    ? parsed.data.roles
    : [parsed.data.defaultRole, ...parsed.data.roles];
  let resolvedFaults: FaultSettings;
  try {
    resolvedFaults = mergeFaults(DEFAULT_FAULTS, faults ?? {});
  } catch (error) {
    throw new DirsyncError('invalid_sim_options', 'Invalid simulator options: faults', { cause: error });
  }
  let resolvedBehavior: BehaviorSettings;
  try {
    resolvedBehavior = mergeBehavior(DEFAULT_BEHAVIOR, behavior ?? {});
  } catch (error) {
    const why = error instanceof z.ZodError ? `: ${z.prettifyError(error)}` : '';
    throw new DirsyncError('invalid_sim_options', `Invalid simulator options: behavior${why}`, {
      cause: error,
    });
  }
  return {
    ...parsed.data,
    roles,
    faults: resolvedFaults,
    behavior: resolvedBehavior,
    clock: clock ?? systemClock,
  };
}
