import { isIP } from 'node:net';
import {
  commonEnv,
  type Env,
  envInt,
  envPort,
  loginUrlFor,
  parseEnv,
  redisTopologyEnv,
  syncEnv,
  targetEnv,
} from '@dirsync/core';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/;

const appSchema = z
  .object({
    ...commonEnv,
    ...targetEnv,
    ...syncEnv,
    SYNC_CONCURRENCY: envInt({ default: 8, min: 1, max: 200 }),
    WORKER_METRICS_PORT: envPort(9464, { allowZero: true }),
    /** Interface of the metrics/health listener: an internal one (e.g. 127.0.0.1) keeps them off the public port. */
    METRICS_HOST: z
      .string()
      .trim()
      .default('0.0.0.0')
      .refine((host) => isIP(host) !== 0 || HOST_NAME.test(host), {
        message: 'must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0',
      }),
    /** 5xx / network failures lasting this long without one success quarantine the sync. */
    TARGET_FAILURE_WINDOW_SECONDS: envInt({ default: 120, min: 5, max: 86_400 }),
    /** How often a quarantined worker probes the target. */
    QUARANTINE_PROBE_SECONDS: envInt({ default: 15, min: 1, max: 3600 }),
    /** Failed probes back off (doubling) up to this interval, so no quarantine flaps. */
    QUARANTINE_PROBE_MAX_SECONDS: envInt({ default: 900, min: 1, max: 86_400 }),
    /**
     * How long a person's newest change must rest before it is written: several webhooks for one HR edit become
     * one write. 0 writes at once.
     */
    SYNC_SETTLE_MS: envInt({ default: 1000, min: 0, max: 60_000 }),
    /** How often the sweeper runs (re-checks contended people, re-triggers overdue ones). */
    SWEEP_INTERVAL_SECONDS: envInt({ default: 15, min: 1, max: 3600 }),
    /** People pending this long without a sync are triggered again by the sweeper (a safety net). */
    SWEEP_STALE_SECONDS: envInt({ default: 600, min: 30, max: 86_400 }),
    /**
     * Lifetime of a job's lock (a person's sync lock lives half of it), renewed while work goes on: how soon the
     * jobs and people of a crashed worker are picked up again (within about this long plus a sync).
     */
    JOB_LOCK_SECONDS: envInt({ default: 6, min: 2, max: 600 }),
    /** Seconds a SIGTERM waits for in-flight jobs before interrupting them (they go back to the queue). */
    SHUTDOWN_GRACE_SECONDS: envInt({ default: 25, min: 0, max: 600 }),
  })
  .superRefine((env, ctx) => {
    if (env.RECONCILE_CRON) {
      try {
        CronExpressionParser.parse(env.RECONCILE_CRON);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: ['RECONCILE_CRON'],
          message: `not a cron expression (${(error as Error).message}); e.g. "0 3 * * *" for 03:00 daily`,
        });
      }
      if (!env.HR_SNAPSHOT) {
        ctx.addIssue({
          code: 'custom',
          path: ['HR_SNAPSHOT'],
          message: 'required when RECONCILE_CRON is set',
        });
      }
    }
    for (const name of ['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET'] as const) {
      if (!env[name]) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'required: the worker signs in to the target with the OAuth client-credentials grant',
        });
      }
    }
  })
  .transform((env) => ({
    ...env,
    GENESYS_LOGIN_URL: loginUrlFor(env.GENESYS_BASE_URL, env.GENESYS_LOGIN_URL),
  }));

// The Redis variables are checked together with the app's own, so every bad variable is reported at once.
const schema = z.intersection(appSchema, redisTopologyEnv);

export type WorkerConfig = z.output<typeof schema>;

/** Parses the worker's configuration; throws a ConfigError naming every bad variable. */
export function loadWorkerConfig(env: Env): WorkerConfig {
  return parseEnv(schema, env);
}
