import { ConfigError } from '@dirsync/core';
import { DEFAULT_ROLES } from '@dirsync/genesys-sim';
import { describe, expect, it } from 'vitest';
import { DEMO_GROUPS, loadSimEnv, simulatorOptionsFromEnv } from './env.js';

describe('simulator environment', () => {
  it('applies the contract defaults', () => {
    const env = loadSimEnv({});
    expect(env).toMatchObject({
      SIM_PORT: 4010,
      SIM_RATE_LIMIT_PER_MINUTE: 300,
      SIM_LATENCY_MS: 0,
      SIM_ADMIN: false,
      SIM_HIDE_INACTIVE_FROM_FILTERS: false,
      GENESYS_CLIENT_ID: 'dirsync-local',
      GENESYS_CLIENT_SECRET: 'dirsync-local-secret',
      LOG_LEVEL: 'info',
    });
    expect(simulatorOptionsFromEnv(env)).toMatchObject({
      port: 4010,
      admin: false,
      roles: DEFAULT_ROLES,
      groups: DEMO_GROUPS,
    });
  });

  it('reads every variable', () => {
    const env = loadSimEnv({
      SIM_PORT: '0',
      SIM_ADMIN: '1',
      SIM_RATE_LIMIT_PER_MINUTE: '60',
      SIM_LATENCY_MS: '25',
      SIM_HIDE_INACTIVE_FROM_FILTERS: 'yes',
      SIM_ROLES: 'employee, agent ,lead',
      SIM_GROUPS: 'Support, Tier 2 Queue',
      GENESYS_CLIENT_ID: 'id',
      GENESYS_CLIENT_SECRET: 'secret',
    });
    expect(simulatorOptionsFromEnv(env)).toMatchObject({
      port: 0,
      admin: true,
      rateLimitPerMinute: 60,
      latencyMs: 25,
      hideInactiveFromFilters: true,
      roles: ['employee', 'agent', 'lead'],
      groups: ['Support', 'Tier 2 Queue'],
      clientId: 'id',
      clientSecret: 'secret',
    });
  });

  it('names each bad variable', () => {
    let error: unknown;
    try {
      loadSimEnv({ SIM_PORT: 'abc', SIM_RATE_LIMIT_PER_MINUTE: '0', SIM_ADMIN: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'SIM_ADMIN',
      'SIM_PORT',
      'SIM_RATE_LIMIT_PER_MINUTE',
    ]);
  });
});
