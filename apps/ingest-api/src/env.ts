import {
  commonEnv,
  type Env,
  envPort,
  envString,
  loginUrlFor,
  parseEnv,
  syncEnv,
  targetEnv,
} from '@dirsync/core';

import { z } from 'zod';

const WHSEC = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

const schema = z
  .object({
    ...commonEnv,
    ...targetEnv,
    ...syncEnv,
    PORT: envPort(3000),
    WEBHOOK_SECRET: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
      z
        .string()
        .transform((v) => v.split(/\s+/).filter(Boolean))
        .refine((secrets) => secrets.every((s) => WHSEC.test(s)), {
          error: 'each secret must look like whsec_<base64> (several separated by spaces during a rotation)',
        })
        .optional(),
    ),
    ADMIN_USER: envString(),
    ADMIN_PASSWORD: envString(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
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

export type IngestConfig = z.output<typeof schema>;

/** Parses the ingest API's configuration; throws a ConfigError naming every bad variable. */
export function loadIngestConfig(env: Env): IngestConfig {
  return parseEnv(schema, env);
}
