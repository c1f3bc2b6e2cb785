import type { Cluster, Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedis, createRedisClient, type RedisClient } from './redis.js';

// Settings only: the behaviour behind them is proven against real servers in packages/core/test.
describe('createRedisClient settings', () => {
  const clients: RedisClient[] = [];
  // Port 1 on loopback refuses at once; these clients never get a server, only their settings are read.
  const nowhere = 'redis://127.0.0.1:1';

  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  function keep<C extends RedisClient>(client: C): C {
    (client as Redis).on('error', () => {});
    clients.push(client);
    return client;
  }

  it('keeps createRedis(url) as before: fail-fast for request paths, patient for BullMQ', () => {
    const fast = keep(createRedis(nowhere, { connectionName: 'dirsync-api', failFast: true }));
    expect(fast.options).toMatchObject({
      connectionName: 'dirsync-api',
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      connectTimeout: 2000,
    });
    const patient = keep(createRedis(nowhere, { connectionName: 'dirsync-worker' }));
    // BullMQ refuses a worker connection whose commands give up (maxRetriesPerRequest must be null).
    expect(patient.options).toMatchObject({ maxRetriesPerRequest: null, enableOfflineQueue: true });
  });

  it('uses TLS for a rediss:// URL', () => {
    const client = keep(createRedisClient({ kind: 'standalone', url: 'rediss://127.0.0.1:1' }));
    expect(client.options.tls).toBeDefined();
  });

  it('asks the sentinels for the named master, with both passwords', () => {
    const client = keep(
      createRedisClient({
        kind: 'sentinel',
        sentinels: [{ host: '127.0.0.1', port: 1 }],
        masterName: 'mymaster',
        sentinelPassword: 's',
        password: 'p',
        tls: true,
      }),
    );
    expect(client.options).toMatchObject({
      name: 'mymaster',
      sentinels: [{ host: '127.0.0.1', port: 1 }],
      sentinelPassword: 's',
      password: 'p',
      enableTLSForSentinelMode: true,
      // The detector can end a reconnecting client for good (ioredis 6.0.0); see createRedisClient.
      failoverDetector: false,
      maxRetriesPerRequest: null,
    });
    expect(client.options.tls).toBeDefined();
  });

  it('gives a Cluster the per-node settings BullMQ reads from redisOptions', () => {
    const cluster: Cluster = keep(
      createRedisClient({ kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }], password: 'p' }),
    );
    expect(cluster.isCluster).toBe(true);
    expect(cluster.options.redisOptions).toMatchObject({ maxRetriesPerRequest: null, password: 'p' });
    const fast = keep(
      createRedisClient({ kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }] }, { failFast: true }),
    );
    expect(fast.options).toMatchObject({ enableOfflineQueue: false, enableAutoPipelining: true });
    expect(fast.options.redisOptions).toMatchObject({ maxRetriesPerRequest: 0 });
  });
});
