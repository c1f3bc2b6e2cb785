import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  envFlag,
  envHttpUrl,
  envInt,
  envList,
  envLogLevel,
  envPort,
  envRedisUrl,
  envString,
  parseEnv,
  unsetIfEmpty,
} from './env.js';
import { ConfigError } from './errors.js';

const schema = z.object({
  PORT: envPort(3000),
  REDIS_URL: envRedisUrl('redis://127.0.0.1:6379'),
  GENESYS_BASE_URL: envHttpUrl('https://api.mypurecloud.com'),
  SYNC_CONCURRENCY: envInt({ default: 8, min: 1, max: 100 }),
  SIM_ADMIN: envFlag(false),
  PROTECTED_USERS: envList(),
  LOG_LEVEL: envLogLevel(),
  WEBHOOK_SECRET: envString(),
});

describe('parseEnv', () => {
  it('applies defaults when variables are unset or empty', () => {
    const cfg = parseEnv(schema, { PORT: '', LOG_LEVEL: '' });
    expect(cfg).toEqual({
      PORT: 3000,
      REDIS_URL: 'redis://127.0.0.1:6379',
      GENESYS_BASE_URL: 'https://api.mypurecloud.com',
      SYNC_CONCURRENCY: 8,
      SIM_ADMIN: false,
      PROTECTED_USERS: [],
      LOG_LEVEL: 'info',
      WEBHOOK_SECRET: undefined,
    });
  });

  it('coerces and normalises values', () => {
    const cfg = parseEnv(schema, {
      PORT: '8080',
      GENESYS_BASE_URL: 'http://127.0.0.1:4010/',
      SIM_ADMIN: 'Yes',
      PROTECTED_USERS: ' admin@x.test, HR-1 ,,',
      LOG_LEVEL: 'DEBUG',
    });
    expect(cfg.PORT).toBe(8080);
    expect(cfg.GENESYS_BASE_URL).toBe('http://127.0.0.1:4010');
    expect(cfg.SIM_ADMIN).toBe(true);
    expect(cfg.PROTECTED_USERS).toEqual(['admin@x.test', 'HR-1']);
    expect(cfg.LOG_LEVEL).toBe('debug');
  });

  it('names every bad variable at once, with the reason and without the value', () => {
    let error: unknown;
    try {
      parseEnv(schema, {
        PORT: 'eighty',
        REDIS_URL: 'http://wrong:6379',
        SYNC_CONCURRENCY: '0',
        SIM_ADMIN: 'maybe',
        GENESYS_BASE_URL: 'ftp://secret-host-value',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const config = error as ConfigError;
    expect(config.problems.map((p) => p.variable).sort()).toEqual([
      'GENESYS_BASE_URL',
      'LOG_LEVEL',
      'PORT',
      'REDIS_URL',
      'SIM_ADMIN',
      'SYNC_CONCURRENCY',
    ]);
    expect(config.message).toContain('SYNC_CONCURRENCY: must be at least 1');
    expect(config.message).toContain('REDIS_URL: must be a redis:// or rediss:// URL');
    expect(config.message).not.toContain('secret-host-value');
  });
});

describe('unsetIfEmpty', () => {
  it('makes blank strings unset and trims the rest, leaving other values alone', () => {
    expect(unsetIfEmpty('')).toBeUndefined();
    expect(unsetIfEmpty('  \t')).toBeUndefined();
    expect(unsetIfEmpty('  production ')).toBe('production');
    expect(unsetIfEmpty(undefined)).toBeUndefined();
    expect(unsetIfEmpty(5)).toBe(5);
  });

  it('lets a schema with a default treat FOO= as unset', () => {
    const nodeEnv = z.preprocess(unsetIfEmpty, z.enum(['production', 'development']).default('development'));
    expect(nodeEnv.parse('')).toBe('development');
    expect(nodeEnv.parse(' production ')).toBe('production');
  });
});
