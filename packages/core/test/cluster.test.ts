import { randomUUID } from 'node:crypto';
import { RedisClusterSet, waitUntil } from '@dirsync/testing';
import { type Job, Queue, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../src/env.js';
import { ConfigError } from '../src/errors.js';
import { createRedisClient, type RedisClient, type RedisConnectionOptions } from '../src/redis.js';
import type { RedisTopology } from '../src/redis-topology.js';
import { redisTopologyEnv } from '../src/redis-topology-env.js';
import { ReplicationTimeoutError } from '../src/replication-timeout-error.js';
import { waitForReplicas } from '../src/wait-for-replicas.js';

describe('on a Redis Cluster (three primaries)', () => {
  let set: RedisClusterSet;
  const clients: RedisClient[] = [];

  async function connected(topology: RedisTopology, options: RedisConnectionOptions = {}): Promise<Cluster> {
    const client = createRedisClient(topology, options) as Cluster;
    client.on('error', () => {});
    clients.push(client);
    await waitUntil(
      async () => (client.status === 'ready' ? true : undefined),
      (value) => value !== undefined,
      { what: 'a ready connection', timeoutMs: 10_000, intervalMs: 50, retryErrors: true },
    );
    return client;
  }

  /** Which primaries hold keys under `prefix`, by port. */
  async function portsHolding(cluster: Cluster, prefix: string): Promise<number[]> {
    const ports: number[] = [];
    for (const node of cluster.nodes('master')) {
      const [, keys] = await (node as Redis).scan('0', 'MATCH', `${prefix}*`, 'COUNT', 10_000);
      if (keys.length > 0) ports.push(Number(node.options.port));
    }
    return ports;
  }

  beforeAll(async () => {
    set = await RedisClusterSet.start();
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await set?.stop();
  });

  it('refuses a QUEUE_PREFIX without hash tag for the cluster', () => {
    expect(() => parseEnv(redisTopologyEnv, { ...set.env, QUEUE_PREFIX: `test-${randomUUID()}` })).toThrow(
      ConfigError,
    );
    expect(() => parseEnv(redisTopologyEnv, { ...set.env, QUEUE_PREFIX: 'dirsync' })).toThrow(/QUEUE_PREFIX/);
  });

  it('runs a BullMQ queue and worker under a hash-tagged prefix, all keys in one slot', async () => {
    const prefix = `{test-${randomUUID()}}`;
    const { redisTopology } = parseEnv(redisTopologyEnv, { ...set.env, QUEUE_PREFIX: prefix });
    // As the apps do: a fail-fast connection for the producer, a patient one for the worker.
    const queueConnection = await connected(redisTopology, {
      connectionName: 'dirsync-api-queue',
      failFast: true,
    });
    const workerConnection = await connected(redisTopology, { connectionName: 'dirsync-worker-blocking' });
    const queue = new Queue('sync', { connection: queueConnection, prefix, skipWaitingForReady: true });
    const worker = new Worker('sync', async (job: Job<{ n: number }>) => job.data.n * 2, {
      connection: workerConnection,
      prefix,
    });
    try {
      const done = new Promise<{ id: string | undefined; result: unknown }>((resolve, reject) => {
        worker.on('completed', (job, result) => resolve({ id: job.id, result }));
        worker.on('failed', (_job, error) => reject(error));
      });
      const job = await queue.add('double', { n: 21 });
      await expect(done).resolves.toEqual({ id: job.id, result: 42 });
      const ports = await portsHolding(queueConnection, prefix);
      expect(ports).toHaveLength(1);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('runs a Lua script over two keys built from the same hash-tagged prefix', async () => {
    const prefix = `{test-${randomUUID()}}`;
    const { redisTopology } = parseEnv(redisTopologyEnv, { ...set.env, QUEUE_PREFIX: prefix });
    const cluster = await connected(redisTopology, { failFast: true });
    cluster.defineCommand('swapTwo', {
      numberOfKeys: 2,
      lua: "local a = redis.call('GET', KEYS[1]); redis.call('SET', KEYS[1], redis.call('GET', KEYS[2])); redis.call('SET', KEYS[2], a); return a",
    });
    const swapTwo = (a: string, b: string) =>
      (cluster as unknown as { swapTwo(a: string, b: string): Promise<string> }).swapTwo(a, b);
    await cluster.mset(`${prefix}:left`, 'L', `${prefix}:right`, 'R');
    await expect(swapTwo(`${prefix}:left`, `${prefix}:right`)).resolves.toBe('L');
    expect(await cluster.mget(`${prefix}:left`, `${prefix}:right`)).toEqual(['R', 'L']);
    await expect(
      cluster.eval("return redis.call('DEL', KEYS[1], KEYS[2])", 2, `${prefix}:left`, `${prefix}:right`),
    ).resolves.toBe(2);

    // Without the hash tag the same two keys land in different slots, and the script is refused (by ioredis's
    // auto-pipelining before it reaches Redis, or by Redis with CROSSSLOT).
    const bare = prefix.slice(1, -1);
    const slotOf = async (key: string) => Number(await cluster.cluster('KEYSLOT', key));
    let other = 'right';
    for (let i = 0; (await slotOf(`${bare}:left`)) === (await slotOf(`${bare}:${other}`)); i++)
      other = `right${i}`;
    await expect(swapTwo(`${bare}:left`, `${bare}:${other}`)).rejects.toThrow(/CROSSSLOT|same slot/);
  });

  it('waitForReplicas refuses when the primaries have fewer replicas than asked', async () => {
    const cluster = await connected(set.topology, { failFast: true });
    await cluster.set(`{test-${randomUUID()}}:state`, 'v1');
    await expect(waitForReplicas(cluster, 0, 100)).resolves.toBeUndefined();
    const error = await waitForReplicas(cluster, 1, 200).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplicationTimeoutError);
    expect(error).toMatchObject({ required: 1, acknowledged: 0, connectedReplicas: 0 });
  });
});
