import { z } from 'zod';
import { envHttpUrl, envInt, envList, envLogLevel, envString, unsetIfEmpty } from './env.js';
import { envDurationMs } from './env-duration.js';

/**
 * Environment fragments shared by the apps (contract, "Environment"). Each app composes its own schema from these
 * (and `redisTopologyEnv`, which owns `REDIS_URL` and the other Redis variables) and parses it once at start-up;
 * packages never read `process.env`.
 */

export const commonEnv = {
  NODE_ENV: z.preprocess(
    unsetIfEmpty,
    z
      .enum(['production', 'development', 'test'], { error: 'must be production, development or test' })
      .default('development'),
  ),
  QUEUE_PREFIX: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^(\{[A-Za-z0-9_.-]+\}|[A-Za-z0-9_.-]+)$/, {
        error: 'must be letters, digits, _ . - (optionally in braces, e.g. {dirsync}, for Redis Cluster)',
      })
      .default('dirsync'),
  ),
  LOG_LEVEL: envLogLevel(),
};

export const targetEnv = {
  GENESYS_BASE_URL: envHttpUrl('https://api.mypurecloud.com'),
  GENESYS_LOGIN_URL: envHttpUrl(),
  GENESYS_CLIENT_ID: envString(),
  GENESYS_CLIENT_SECRET: envString(),
  SCIM_BASE_PATH: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\/[^\s?#]*$/, { error: 'must be a path starting with /, e.g. /api/v2/scim/v2' })
      .transform((v) => v.replace(/\/+$/, ''))
      .default('/api/v2/scim/v2'),
  ),
  SCIM_RATE_LIMIT_PER_MINUTE: envInt({ default: 300, min: 1, max: 100_000 }),
};

export const syncEnv = {
  MAPPING_FILE: envString(),
  POLICY_FILE: envString(),
  PROTECTED_USERS: envList(),
  REPORT_RETENTION_DAYS: envInt({ default: 30, min: 1, max: 3650 }),
  /** A deactivated person's HR fields are dropped this long after the deactivation was applied (a tombstone stays). */
  /** HR fields kept besides those the mapping and policy read; required for a mapping that reads `$` wholesale. */
  HR_FIELDS: envList(),
  PERSON_STATE_RETENTION_DAYS: envInt({ default: 90, min: 1, max: 3650 }),
  AUDIT_LOG: envString(),
  HR_SNAPSHOT: envString(),
  RECONCILE_CRON: envString(),
  RECONCILE_MAX_DEACTIVATE_PERCENT: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'must be a number between 0 and 100' })
      .min(0, { error: 'must be between 0 and 100' })
      .max(100, { error: 'must be between 0 and 100' })
      .default(10),
  ),
  RECONCILE_MAX_DEACTIVATE_COUNT: envInt({ min: 0 }),
  /** IANA zone in which an `effectiveAt` date without a time (`YYYY-MM-DD`) means 00:00. */
  HR_TIMEZONE: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine(isKnownTimeZone, {
        error: 'is not an IANA time zone this runtime knows (e.g. Europe/Berlin, America/New_York, UTC)',
      })
      .default('UTC'),
  ),
  /** Days before a future hire's start that their user is created, inactive (0: created at the start). */
  PREHIRE_DAYS: envInt({ default: 0, min: 0, max: 365 }),
  /** A person whose manager has not appeared after this many hours is reported once (`manager_missing`). */
  MANAGER_WAIT_HOURS: envInt({ default: 24, min: 1, max: 8760 }),
  /** A synced person whose record no longer maps: deactivated (default), or left as is and reported once. */
  OUT_OF_SCOPE: z.preprocess(
    unsetIfEmpty,
    z.enum(['deactivate', 'leave'], { error: 'must be deactivate or leave' }).default('deactivate'),
  ),
  /** How long a built directory index is trusted to say "this person is not in Genesys" (milliseconds). */
  DIRECTORY_INDEX_MAX_AGE: envDurationMs({ default: '24h', min: '1m' }),
  /**
   * ISO 3166 code for HR phone numbers written without a country code (unset: such numbers are unusable). The
   * engine checks it against the phone library's regions at start-up (`phoneRegionSchema` of @dirsync/transform,
   * which this package cannot import).
   */
  DEFAULT_PHONE_REGION: envString(),
  /** 403s on writes for this many different people in a row, with no successful write between, quarantine the sync. */
  AUTH_QUARANTINE_AFTER_PEOPLE: envInt({ default: 5, min: 1, max: 10_000 }),
};

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The OAuth host: `GENESYS_LOGIN_URL`, else the API host with `api.` replaced by `login.` (Genesys's rule). */
export function loginUrlFor(baseUrl: string, loginUrl: string | undefined): string {
  if (loginUrl) return loginUrl;
  const url = new URL(baseUrl);
  if (url.hostname.startsWith('api.')) url.hostname = `login.${url.hostname.slice(4)}`;
  return url.origin;
}

/** The parsed fragments {@link targetEnv} and {@link syncEnv} (plus the queue prefix) that both apps share. */
type SharedEngineEnv = z.output<z.ZodObject<typeof targetEnv & typeof syncEnv>> & { QUEUE_PREFIX: string };

/**
 * The engine settings both apps take from the same variables, in the engine's camelCase names; each app adds its
 * own (lock times, hooks, reconcile) around them. The engine never reads the environment itself.
 */
export function sharedEngineSettings(config: SharedEngineEnv & { GENESYS_LOGIN_URL: string }) {
  return {
    prefix: config.QUEUE_PREFIX,
    target: {
      baseUrl: config.GENESYS_BASE_URL,
      loginUrl: config.GENESYS_LOGIN_URL,
      scimBasePath: config.SCIM_BASE_PATH,
      clientId: config.GENESYS_CLIENT_ID,
      clientSecret: config.GENESYS_CLIENT_SECRET,
    },
    requestsPerMinute: config.SCIM_RATE_LIMIT_PER_MINUTE,
    mappingFile: config.MAPPING_FILE,
    policyFile: config.POLICY_FILE,
    protectedUsers: config.PROTECTED_USERS,
    prehireDays: config.PREHIRE_DAYS,
    hrTimeZone: config.HR_TIMEZONE,
    reportRetentionDays: config.REPORT_RETENTION_DAYS,
    personStateRetentionDays: config.PERSON_STATE_RETENTION_DAYS,
    hrFields: config.HR_FIELDS,
    directoryIndexMaxAgeMs: config.DIRECTORY_INDEX_MAX_AGE,
    phoneRegion: config.DEFAULT_PHONE_REGION,
    managerWaitMs: config.MANAGER_WAIT_HOURS * 3_600_000,
    outOfScope: config.OUT_OF_SCOPE,
  };
}
