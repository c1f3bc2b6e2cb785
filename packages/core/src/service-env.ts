import { z } from 'zod';
import { envHttpUrl, envInt, envList, envLogLevel, envString, unsetIfEmpty } from './env.js';

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
};

/** The OAuth host: `GENESYS_LOGIN_URL`, else the API host with `api.` replaced by `login.` (Genesys's rule). */
export function loginUrlFor(baseUrl: string, loginUrl: string | undefined): string {
  if (loginUrl) return loginUrl;
  const url = new URL(baseUrl);
  if (url.hostname.startsWith('api.')) url.hostname = `login.${url.hostname.slice(4)}`;
  return url.origin;
}
