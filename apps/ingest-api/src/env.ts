import {
  commonEnv,
  type Env,
  envFlag,
  envInt,
  envPort,
  envString,
  loginUrlFor,
  parseEnv,
  redisTopologyEnv,
  syncEnv,
  targetEnv,
  unsetIfEmpty,
} from '@dirsync/core';
import { z } from 'zod';
import { describeWeakSecret, MIN_ADMIN_PASSWORD_LENGTH } from './secret-strength.js';

const WHSEC = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

const appSchema = z
  .object({
    ...commonEnv,
    ...targetEnv,
    ...syncEnv,
    PORT: envPort(3000),
    WEBHOOK_SECRET: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .transform((v) => v.split(/\s+/).filter(Boolean))
        .refine((secrets) => secrets.every((s) => WHSEC.test(s)), {
          error: 'each secret must look like whsec_<base64> (several separated by spaces during a rotation)',
        })
        .optional(),
    ),
    /** Accept unsigned webhooks (local experiments only; the API then listens on loopback only). */
    ALLOW_UNSIGNED_WEBHOOKS: envFlag(false),
    ADMIN_USER: envString(),
    ADMIN_PASSWORD: envString(),
    /**
     * How long a client may take to send one request, headers and body (also the headers alone): a slow or
     * endless upload cannot hold a connection longer than this.
     */
    REQUEST_TIMEOUT_SECONDS: envInt({ default: 30, min: 1, max: 600 }),
  })
  .superRefine((env, ctx) => {
    if (!env.WEBHOOK_SECRET && !env.ALLOW_UNSIGNED_WEBHOOKS && env.NODE_ENV !== 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SECRET'],
        message:
          'not set: without it anyone who reaches the API could post HR changes; set a whsec_ secret, or ALLOW_UNSIGNED_WEBHOOKS=1 for a local experiment (the API then listens on loopback only)',
      });
    }
    if (env.NODE_ENV === 'production') {
      if (env.ALLOW_UNSIGNED_WEBHOOKS) {
        ctx.addIssue({
          code: 'custom',
          path: ['ALLOW_UNSIGNED_WEBHOOKS'],
          message: 'not allowed when NODE_ENV=production: webhooks must be signed',
        });
      }
      const weak = env.WEBHOOK_SECRET?.map(describeWeakSecret).find((reason) => reason !== undefined);
      if (weak) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: weak });
      if (env.ADMIN_PASSWORD && env.ADMIN_PASSWORD.length < MIN_ADMIN_PASSWORD_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          path: ['ADMIN_PASSWORD'],
          message: `must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters when NODE_ENV=production; generate one with: openssl rand -base64 18`,
        });
      }
      for (const name of ['WEBHOOK_SECRET', 'ADMIN_USER', 'ADMIN_PASSWORD'] as const) {
        if (!env[name]) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message:
              name === 'WEBHOOK_SECRET'
                ? 'required when NODE_ENV=production: without it anyone could post HR changes'
                : 'required when NODE_ENV=production: the dashboard and admin routes need credentials',
          });
        }
      }
    }
    if (Boolean(env.ADMIN_USER) !== Boolean(env.ADMIN_PASSWORD)) {
      const missing = env.ADMIN_USER ? 'ADMIN_PASSWORD' : 'ADMIN_USER';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'ADMIN_USER and ADMIN_PASSWORD are set together',
      });
    }
    if (Boolean(env.GENESYS_CLIENT_ID) !== Boolean(env.GENESYS_CLIENT_SECRET)) {
      const missing = env.GENESYS_CLIENT_ID ? 'GENESYS_CLIENT_SECRET' : 'GENESYS_CLIENT_ID';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET are set together',
      });
    }
  })
  .transform((env) => ({
    ...env,
    GENESYS_LOGIN_URL: loginUrlFor(env.GENESYS_BASE_URL, env.GENESYS_LOGIN_URL),
  }));

// The Redis variables are checked together with the app's own, so every bad variable is reported at once.
const schema = z.intersection(appSchema, redisTopologyEnv);

export type IngestConfig = z.output<typeof schema>;

/** Parses the ingest API's configuration; throws a ConfigError naming every bad variable. */
export function loadIngestConfig(env: Env): IngestConfig {
  return parseEnv(schema, env);
}
