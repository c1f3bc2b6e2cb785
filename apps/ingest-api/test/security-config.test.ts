import { randomBytes } from 'node:crypto';
import { ConfigError } from '@dirsync/core';
import { describe, expect, it } from 'vitest';
import { loadIngestConfig } from '../src/env.js';

/** The problems a configuration is refused for, as `VARIABLE: why`. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadIngestConfig(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.variable}: ${p.problem}`);
  }
}

const STRONG_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const production = (extra: Record<string, string>) => ({
  NODE_ENV: 'production',
  WEBHOOK_SECRET: STRONG_SECRET,
  ADMIN_USER: 'ops',
  ADMIN_PASSWORD: 'a-long-enough-password',
  ...extra,
});

describe('start-up configuration fails closed', () => {
  it('without WEBHOOK_SECRET the API refuses to start unless ALLOW_UNSIGNED_WEBHOOKS=1', () => {
    const refused = problemsOf({});
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^WEBHOOK_SECRET: not set.*ALLOW_UNSIGNED_WEBHOOKS=1/);
    expect(problemsOf({ ALLOW_UNSIGNED_WEBHOOKS: '1' })).toEqual([]);
    expect(problemsOf({ ALLOW_UNSIGNED_WEBHOOKS: '0' })[0]).toMatch(/^WEBHOOK_SECRET/);
  });

  it('production refuses ALLOW_UNSIGNED_WEBHOOKS and still requires every secret', () => {
    const problems = problemsOf({ NODE_ENV: 'production', ALLOW_UNSIGNED_WEBHOOKS: '1' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'ADMIN_PASSWORD',
      'ADMIN_USER',
      'ALLOW_UNSIGNED_WEBHOOKS',
      'WEBHOOK_SECRET',
    ]);
  });

  it('production refuses a short admin password, naming ADMIN_PASSWORD', () => {
    expect(problemsOf(production({ ADMIN_PASSWORD: 'a' }))).toEqual([
      expect.stringMatching(/^ADMIN_PASSWORD: must be at least 16 characters/),
    ]);
    expect(problemsOf(production({ ADMIN_PASSWORD: '15-characters!!' }))).toHaveLength(1);
    expect(problemsOf(production({ ADMIN_PASSWORD: '16-characters!!!' }))).toEqual([]);
  });

  it('production refuses a webhook secret of fewer than 24 random bytes, in any place of a rotation list', () => {
    expect(problemsOf(production({ WEBHOOK_SECRET: 'whsec_AAAA' }))).toEqual([
      expect.stringMatching(/^WEBHOOK_SECRET: each secret must decode to at least 24 random bytes/),
    ]);
    const short = `whsec_${randomBytes(23).toString('base64')}`;
    expect(problemsOf(production({ WEBHOOK_SECRET: `${STRONG_SECRET} ${short}` }))).toHaveLength(1);
    // Long enough but not random: one byte value repeated.
    const padded = `whsec_${Buffer.alloc(32, 'A').toString('base64')}`;
    expect(problemsOf(production({ WEBHOOK_SECRET: padded }))[0]).toMatch(/^WEBHOOK_SECRET: .*repeats/);
    expect(
      problemsOf(
        production({ WEBHOOK_SECRET: `${STRONG_SECRET} whsec_${randomBytes(24).toString('base64')}` }),
      ),
    ).toEqual([]);
  });

  it('outside production the same weak values only need the right shape (local tools, tests)', () => {
    expect(problemsOf({ WEBHOOK_SECRET: 'whsec_AAAA', ADMIN_USER: 'u', ADMIN_PASSWORD: 'a' })).toEqual([]);
  });

  it('what `pnpm start` generates (scripts/start.mjs) passes the production rules', () => {
    // The same recipes as scripts/start.mjs: 32 random bytes for the secret, 18 for the password.
    const generated = {
      WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
      ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
    };
    expect(problemsOf(production(generated))).toEqual([]);
  });

  it('REQUEST_TIMEOUT_SECONDS defaults to 30 and is bounded', () => {
    expect(loadIngestConfig({ ALLOW_UNSIGNED_WEBHOOKS: '1' }).REQUEST_TIMEOUT_SECONDS).toBe(30);
    expect(problemsOf({ ALLOW_UNSIGNED_WEBHOOKS: '1', REQUEST_TIMEOUT_SECONDS: '0' })[0]).toMatch(
      /^REQUEST_TIMEOUT_SECONDS/,
    );
  });
});

describe('Redis topology at start-up', () => {
  const unsigned = { ALLOW_UNSIGNED_WEBHOOKS: '1' };

  it('cluster mode refuses a QUEUE_PREFIX without a hash tag, naming it, together with the other problems', () => {
    const problems = problemsOf({ REDIS_CLUSTER_NODES: '10.0.0.1:6379,10.0.0.2:6379' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['QUEUE_PREFIX', 'WEBHOOK_SECRET']);
    expect(problems.find((p) => p.startsWith('QUEUE_PREFIX'))).toMatch(/hash tag.*\{dirsync\}/);
    expect(
      problemsOf({ ...unsigned, REDIS_CLUSTER_NODES: '10.0.0.1:6379', QUEUE_PREFIX: '{dirsync}' }),
    ).toEqual([]);
  });

  it('each topology variable chooses the clients the apps build; REDIS_URL keeps its default', () => {
    expect(loadIngestConfig(unsigned).redisTopology).toEqual({
      kind: 'standalone',
      url: 'redis://127.0.0.1:6379',
    });
    const sentinel = loadIngestConfig({
      ...unsigned,
      REDIS_SENTINELS: '10.0.0.1:26379,10.0.0.2:26379',
      REDIS_SENTINEL_MASTER: 'dirsync',
      REDIS_MIN_REPLICAS_ACK: '1',
    });
    expect(sentinel.redisTopology).toMatchObject({ kind: 'sentinel', masterName: 'dirsync' });
    expect(sentinel.REDIS_MIN_REPLICAS_ACK).toBe(1);
    expect(problemsOf({ ...unsigned, REDIS_URL: 'http://x' })[0]).toMatch(/^REDIS_URL: must be a redis:\/\//);
  });
});
