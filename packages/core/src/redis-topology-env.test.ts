import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envInt, parseEnv } from './env.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { hashTagOf } from './redis-topology.js';
import { redisTopologyEnv } from './redis-topology-env.js';

function problemsOf(env: Record<string, string | undefined>): ConfigProblem[] {
  try {
    parseEnv(redisTopologyEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('redisTopologyEnv', () => {
  it('defaults to a standalone Redis on loopback and no replica acknowledgement', () => {
    expect(parseEnv(redisTopologyEnv, {})).toEqual({
      redisTopology: { kind: 'standalone', url: 'redis://127.0.0.1:6379' },
      REDIS_MIN_REPLICAS_ACK: 0,
    });
  });

  it('keeps a rediss:// URL for TLS', () => {
    const { redisTopology } = parseEnv(redisTopologyEnv, { REDIS_URL: 'rediss://cache.example:6380' });
    expect(redisTopology).toEqual({ kind: 'standalone', url: 'rediss://cache.example:6380' });
  });

  it('reads a Sentinel topology with its master name and password', () => {
    const config = parseEnv(redisTopologyEnv, {
      REDIS_SENTINELS: '10.0.0.1:26379, 10.0.0.2:26379,[::1]:26380',
      REDIS_SENTINEL_MASTER: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      REDIS_MIN_REPLICAS_ACK: '1',
    });
    expect(config).toEqual({
      redisTopology: {
        kind: 'sentinel',
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26379 },
          { host: '::1', port: 26380 },
        ],
        masterName: 'mymaster',
        sentinelPassword: 'sentinel-secret',
      },
      REDIS_MIN_REPLICAS_ACK: 1,
    });
  });

  it('reads a Cluster topology when QUEUE_PREFIX holds a hash tag', () => {
    const { redisTopology } = parseEnv(redisTopologyEnv, {
      REDIS_CLUSTER_NODES: 'redis-a:6379,redis-b:6379',
      QUEUE_PREFIX: '{dirsync}',
    });
    expect(redisTopology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'redis-a', port: 6379 },
        { host: 'redis-b', port: 6379 },
      ],
    });
  });

  it('refuses a cluster with a QUEUE_PREFIX without hash tag, and with the default prefix', () => {
    for (const env of [
      { REDIS_CLUSTER_NODES: '127.0.0.1:7000', QUEUE_PREFIX: 'dirsync' },
      { REDIS_CLUSTER_NODES: '127.0.0.1:7000' },
      { REDIS_CLUSTER_NODES: '127.0.0.1:7000', QUEUE_PREFIX: '{}dirsync' },
    ]) {
      const problems = problemsOf(env);
      expect(problems).toHaveLength(1);
      expect(problems[0]?.variable).toBe('QUEUE_PREFIX');
      expect(problems[0]?.problem).toMatch(/hash tag.*\{dirsync\}/);
    }
  });

  it('names a bad host:port entry by position, never echoing the value', () => {
    const problems = problemsOf({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,secret-host', QUEUE_PREFIX: '{x}' });
    expect(problems).toEqual([
      { variable: 'REDIS_CLUSTER_NODES', problem: expect.stringMatching(/host:port.*entry 2/) },
    ]);
    expect(problems[0]?.problem).not.toContain('secret-host');
    for (const bad of ['127.0.0.1', '127.0.0.1:0', 'host:70000', ',', 'a:b']) {
      expect(problemsOf({ REDIS_SENTINELS: bad, REDIS_SENTINEL_MASTER: 'm' })).toEqual([
        { variable: 'REDIS_SENTINELS', problem: expect.stringContaining('host:port') },
      ]);
    }
  });

  it('requires the master name with a sentinel list', () => {
    expect(problemsOf({ REDIS_SENTINELS: '127.0.0.1:26379' })).toEqual([
      {
        variable: 'REDIS_SENTINEL_MASTER',
        problem: expect.stringContaining('required with REDIS_SENTINELS'),
      },
    ]);
  });

  it('refuses sentinel settings without a sentinel list', () => {
    expect(problemsOf({ REDIS_SENTINEL_MASTER: 'm', REDIS_SENTINEL_PASSWORD: 'p' })).toEqual([
      { variable: 'REDIS_SENTINEL_MASTER', problem: 'has no effect without REDIS_SENTINELS' },
      { variable: 'REDIS_SENTINEL_PASSWORD', problem: 'has no effect without REDIS_SENTINELS' },
    ]);
  });

  it('refuses two topologies at once', () => {
    const problems = problemsOf({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_SENTINELS: '127.0.0.1:26379',
      REDIS_SENTINEL_MASTER: 'm',
      REDIS_CLUSTER_NODES: '127.0.0.1:7000',
      QUEUE_PREFIX: '{x}',
    });
    expect(problems.map((p) => p.variable)).toEqual(['REDIS_SENTINELS', 'REDIS_CLUSTER_NODES']);
    expect(problems[0]?.problem).toMatch(/cannot be set together with REDIS_URL/);
  });

  it('refuses a negative or fractional REDIS_MIN_REPLICAS_ACK', () => {
    for (const bad of ['-1', '1.5', 'one']) {
      expect(problemsOf({ REDIS_MIN_REPLICAS_ACK: bad }).map((p) => p.variable)).toEqual([
        'REDIS_MIN_REPLICAS_ACK',
      ]);
    }
  });

  it("composes with an app's schema, reporting both sides' problems together", () => {
    const app = z.object({
      PORT: envInt({ default: 3000, min: 1 }),
      QUEUE_PREFIX: z.string().default('dirsync'),
    });
    const schema = app.and(redisTopologyEnv);
    expect(parseEnv(schema, { QUEUE_PREFIX: '{d}', REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toEqual({
      PORT: 3000,
      QUEUE_PREFIX: '{d}',
      redisTopology: { kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 7000 }] },
      REDIS_MIN_REPLICAS_ACK: 0,
    });
    expect(() => parseEnv(schema, { PORT: '0', REDIS_SENTINELS: 'x' })).toThrow(
      expect.objectContaining({
        problems: [
          expect.objectContaining({ variable: 'PORT' }),
          expect.objectContaining({ variable: 'REDIS_SENTINELS' }),
        ],
      }),
    );
  });
});

describe('hashTagOf', () => {
  it("follows Redis Cluster's rule: first { to the first } after it, not empty", () => {
    expect(hashTagOf('{dirsync}')).toBe('dirsync');
    expect(hashTagOf('app{tag}rest{other}')).toBe('tag');
    expect(hashTagOf('dirsync')).toBeUndefined();
    expect(hashTagOf('{}x')).toBeUndefined();
    expect(hashTagOf('{open')).toBeUndefined();
  });
});
