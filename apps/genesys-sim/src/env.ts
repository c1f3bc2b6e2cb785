import { type Env, envFlag, envInt, envList, envLogLevel, envPort, envString, parseEnv } from '@dirsync/core';
import { DEFAULT_ROLES, type SimulatorOptions } from '@dirsync/genesys-sim';
import { z } from 'zod';

/** The simulator's environment (see the contract's Environment table); parsed once at start-up. */
export const simEnvSchema = z.object({
  /** 0 picks a free port (the listening URL is logged). */
  SIM_PORT: envPort(4010, { allowZero: true }),
  /** 0.0.0.0 to serve other hosts or containers. */
  SIM_HOST: envString('127.0.0.1'),
  SIM_RATE_LIMIT_PER_MINUTE: envInt({ default: 300, min: 1, max: 1_000_000 }),
  SIM_LATENCY_MS: envInt({ default: 0, min: 0, max: 120_000 }),
  SIM_ADMIN: envFlag(false),
  SIM_HIDE_INACTIVE_FROM_FILTERS: envFlag(false),
  /** Genesys lets an OAuth client's token lifetime range from 300 s to 48 h; shorter helps refresh tests. */
  SIM_TOKEN_TTL_SECONDS: envInt({ default: 3600, min: 1, max: 172_800 }),
  /** Comma-separated role names of the simulated organisation. */
  SIM_ROLES: envList(),
  /** Comma-separated group names of the simulated organisation (default: the shipped policy's demo groups). */
  SIM_GROUPS: envList(),
  GENESYS_CLIENT_ID: envString('dirsync-local'),
  GENESYS_CLIENT_SECRET: envString('dirsync-local-secret'),
  LOG_LEVEL: envLogLevel(),
});

/** The groups of the demo organisation: the ones the shipped policy manages, so `pnpm demo` can join them. */
export const DEMO_GROUPS = ['Support', 'Sales', 'Engineering', 'Tier 1 Queue', 'Tier 2 Queue'];

export type SimEnv = z.output<typeof simEnvSchema>;

/** Parses the environment; throws a ConfigError naming each bad variable. */
export function loadSimEnv(env: Env): SimEnv {
  return parseEnv(simEnvSchema, env);
}

export function simulatorOptionsFromEnv(env: SimEnv): SimulatorOptions {
  return {
    port: env.SIM_PORT,
    host: env.SIM_HOST,
    rateLimitPerMinute: env.SIM_RATE_LIMIT_PER_MINUTE,
    latencyMs: env.SIM_LATENCY_MS,
    admin: env.SIM_ADMIN,
    hideInactiveFromFilters: env.SIM_HIDE_INACTIVE_FROM_FILTERS,
    tokenTtlSeconds: env.SIM_TOKEN_TTL_SECONDS,
    roles: env.SIM_ROLES.length > 0 ? env.SIM_ROLES : DEFAULT_ROLES,
    groups: env.SIM_GROUPS.length > 0 ? env.SIM_GROUPS : DEMO_GROUPS,
    clientId: env.GENESYS_CLIENT_ID,
    clientSecret: env.GENESYS_CLIENT_SECRET,
  };
}
