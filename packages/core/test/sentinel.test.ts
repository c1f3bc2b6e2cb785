import { randomUUID } from 'node:crypto';
import { RedisSentinelSet, waitUntil } from '@dirsync/testing';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createRedisClient, type RedisClient } from '../src/redis.js';
import { ReplicationTimeoutError } from '../src/replication-timeout-error.js';
import { waitForReplicas } from '../src/wait-for-replicas.js';

// One set for the file: the tests run in order, and the failover comes last because it kills the primary.
describe('through Sentinel (a primary, two replicas, three sentinels)', () => {
  let set: RedisSentinelSet;
  const clients: (RedisClient | Redis)[] = [];

  function track<C extends RedisClient | Redis>(client: C): C {
    (client as Redis).on('error', () => {});
    clients.push(client);
    return client;
  }

  /** A fail-fast client refuses commands until connected, as the API does before it listens. */
  async function connected(topologyOptions: { connectionName?: string; failFast?: boolean }) {
    const client = track(createRedisClient(set.topology, topologyOptions));
    await waitUntil(
      async () => (client.status === 'ready' ? true : undefined),
      (value) => value !== undefined,
      { what: 'a ready connection', timeoutMs: 10_000, intervalMs: 50, retryErrors: true },
    );
    return client;
  }

  beforeAll(async () => {
    set = await RedisSentinelSet.start({ sentinelPassword: `sentinel-${randomUUID()}` });
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await set?.stop();
  });

  it('connects to the primary the sentinels name, in both flavours', async () => {
    const prefix = `test-${randomUUID()}`;
    const primary = await set.primary();
    for (const failFast of [true, false]) {
      const redis = await connected({ connectionName: 'dirsync-test', failFast });
      await redis.set(`${prefix}:${failFast}`, 'written');
      const direct = track(new Redis(primary.url));
      expect(await direct.get(`${prefix}:${failFast}`)).toBe('written');
      expect(await direct.client('LIST')).toContain('name=dirsync-test');
    }
  });

  it('waitForReplicas(1) resolves once a replica has the writes', async () => {
    const prefix = `test-${randomUUID()}`;
    const redis = await connected({ failFast: true });
    await redis.set(`${prefix}:state`, 'v1');
    await expect(waitForReplicas(redis, 1, 2_000)).resolves.toBeUndefined();
    const replicas = set.dataNodes.filter((n) => n.port !== (redis as Redis).options.port);
    const onReplica = await Promise.all(
      replicas.map(async (node) => track(new Redis(node.url)).get(`${prefix}:state`)),
    );
    expect(onReplica).toContain('v1');
  });

  it('waitForReplicas fails with a retryable ReplicationTimeoutError while both replicas lag', async () => {
    const prefix = `test-${randomUUID()}`;
    const redis = await connected({ failFast: true });
    await redis.ping();
    const primary = await set.primary();
    const replicas = set.dataNodes.filter((n) => n.port !== primary.port);
    const sleepers = await Promise.all(
      replicas.map(async (node) => {
        const client = track(new Redis(node.url));
        await client.ping();
        return client;
      }),
    );
    // Each replica stops answering, the replication link included, for 2 s. The clients are connected, so the
    // command is on its way before the write below is even sent to the primary.
    const sleeping = sleepers.map((client) => client.call('DEBUG', 'SLEEP', '2'));
    try {
      await redis.set(`${prefix}:state`, 'v2');
      const error = await waitForReplicas(redis, 1, 300).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReplicationTimeoutError);
      expect(error).toMatchObject({
        code: 'replication_timeout',
        retryable: true,
        required: 1,
        acknowledged: 0,
      });
    } finally {
      await Promise.all(sleeping);
    }
    // Lag over: the same writes are confirmed now.
    await expect(waitForReplicas(redis, 1, 5_000)).resolves.toBeUndefined();
  });

  it('waitForReplicas fails when it asks for more replicas than exist', async () => {
    const redis = await connected({ failFast: true });
    await redis.set(`test-${randomUUID()}:state`, 'v3');
    const error = await waitForReplicas(redis, 3, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplicationTimeoutError);
    expect(error).toMatchObject({ required: 3, acknowledged: 2, connectedReplicas: 2 });
    expect(String((error as Error).message)).toContain('only 2 connected');
  });

  it('follows a promotion after the primary is killed: confirmed writes survive, a BullMQ worker resumes', async () => {
    const prefix = `test-${randomUUID()}`;
    await set.waitUntilSettled();
    const failFast = await connected({ connectionName: 'dirsync-api', failFast: true });
    const patient = await connected({ connectionName: 'dirsync-worker' });
    await failFast.set(`${prefix}:confirmed`, 'kept');
    await waitForReplicas(failFast, 1, 2_000);
    await patient.ping();

    // As the apps wire BullMQ: a fail-fast producer connection, a patient worker connection.
    const queue = new Queue('sync', {
      connection: await connected({ connectionName: 'dirsync-api-queue', failFast: true }),
      prefix,
      skipWaitingForReady: true,
    });
    const completed = new Set<string>();
    const worker = new Worker('sync', async (job: Job<{ n: number }>) => job.data.n, {
      connection: await connected({ connectionName: 'dirsync-worker-blocking' }),
      prefix,
    });
    worker.on('error', () => {});
    queue.on('error', () => {});
    worker.on('completed', (job) => completed.add(String(job.id)));
    onTestFinished(async () => {
      await worker.close(true);
      await queue.close();
    });
    const before = await queue.add('before', { n: 1 });
    await waitUntil(
      async () => completed.has(String(before.id)) || undefined,
      (value) => value !== undefined,
      { what: 'job before', timeoutMs: 10_000, intervalMs: 50, retryErrors: true },
    );

    const former = await set.primary();
    const killedAt = Date.now();
    await former.stop('SIGKILL');
    // A patient client's command waits through the gap and lands on the new primary.
    const queued = patient.set(`${prefix}:queued`, 'after');

    // A fail-fast client refuses commands during the gap, then works again by itself.
    const writes = { refused: 0 };
    await waitUntil(
      async () => {
        try {
          await failFast.set(`${prefix}:after`, 'written');
          return true;
        } catch {
          writes.refused++;
          return undefined;
        }
      },
      (value) => value !== undefined,
      {
        what: 'the fail-fast client did not write again after the failover',
        timeoutMs: 20_000,
        intervalMs: 50,
        retryErrors: true,
      },
    );
    const recoveredMs = Date.now() - killedAt;
    const promoted = await set.waitForPromotion(former.port, 5_000);
    expect(promoted.port).not.toBe(former.port);
    expect(writes.refused).toBeGreaterThan(0);
    expect(recoveredMs).toBeLessThan(15_000);
    await expect(queued).resolves.toBe('OK');

    // The worker resumes by itself: a job added after the promotion runs.
    const after = await waitUntil(
      () => queue.add('after', { n: 2 }),
      (value) => value !== undefined,
      {
        what: 'the queue to accept a job after the failover',
        timeoutMs: 10_000,
        intervalMs: 50,
        retryErrors: true,
      },
    );
    await waitUntil(
      async () => completed.has(String(after.id)) || undefined,
      (value) => value !== undefined,
      { what: 'job after', timeoutMs: 15_000, intervalMs: 50, retryErrors: true },
    );

    const onPromoted = track(new Redis(promoted.url));
    expect(await onPromoted.mget(`${prefix}:confirmed`, `${prefix}:after`, `${prefix}:queued`)).toEqual([
      'kept',
      'written',
      'after',
    ]);
  });
});
