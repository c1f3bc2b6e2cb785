import { RedisSentinelSet } from '@dirsync/harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, hr, stopAndCheck, waitUntil } from './cluster.js';
import { recordFigures } from './figures.js';

interface Delivery {
  externalId: string;
  status: number;
  at: number;
}

describe('Sentinel failover with REDIS_MIN_REPLICAS_ACK=1', () => {
  let redis: RedisSentinelSet | undefined;
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    redis = await RedisSentinelSet.start({ replicas: 2, sentinels: 3, downAfterMs: 3000 });
    const { sentinels, masterName } = redis;
    cluster = await Cluster.start({
      workers: 1,
      redis: {
        env: redis.env,
        connect: () => new Redis({ sentinels, name: masterName, maxRetriesPerRequest: null }),
      },
      apiEnv: { REDIS_MIN_REPLICAS_ACK: '1' },
    });
  });
  afterAll(async () => {
    await stopAndCheck(cluster);
    await redis?.stop();
  });

  it('no acknowledged event is lost: 503 while replicas cannot confirm, 202 again soon after the promotion', async () => {
    const c = cluster as Cluster;
    const set = redis as RedisSentinelSet;
    const deliveries: Delivery[] = [];
    let streaming = true;
    // A steady webhook stream, one new person per delivery, as an HR system sends them.
    const stream = (async () => {
      for (let n = 0; streaming; n++) {
        const externalId = `SF-${n}`;
        const res = await c.send({ event: 'user.created', data: hr(externalId) });
        deliveries.push({ externalId, status: res.status, at: Date.now() });
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    await waitUntil(
      async () => deliveries.map((d) => d.status),
      (statuses) => statuses.filter((s) => s === 202).length >= 10,
      { what: 'the stream to flow', timeoutMs: 30_000 },
    );

    // Both replicas lag (blocked for 2 s: longer than the API's 1 s WAIT, shorter than Sentinel's down-after, so
    // Sentinel still counts them) and the primary dies while they do: what it took then never reaches a replica.
    const former = await set.primary();
    const replicas = set.dataNodes.filter((n) => n.port !== former.port);
    const sleepers = replicas.map((node) => {
      const client = new Redis(node.url, { maxRetriesPerRequest: 0 });
      client.on('error', () => {});
      return client;
    });
    const slept = Promise.allSettled(sleepers.map((client) => client.call('DEBUG', 'SLEEP', '2')));
    await waitUntil(
      async () => deliveries.filter((d) => d.status === 503).length,
      (n) => n >= 1,
      { what: 'a 503 while the replicas lag', timeoutMs: 10_000 },
    );
    const killedAt = Date.now();
    await former.stop('SIGKILL');
    await slept;
    for (const client of sleepers) client.disconnect();

    const promoted = await set.waitForPromotion(former.port, 30_000);
    const promotedAt = Date.now();
    const back = await waitUntil(
      async () => deliveries.find((d) => d.at > promotedAt && d.status === 202),
      (d) => d !== undefined,
      { what: 'a 202 after the promotion', timeoutMs: 20_000 },
    );
    await waitUntil(
      async () => deliveries.filter((d) => d.at > (back?.at ?? 0) && d.status === 202).length,
      (n) => n >= 10,
      { what: 'the stream to flow again', timeoutMs: 20_000 },
    );
    streaming = false;
    await stream;

    await c.drained(90_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\nworker log:\n${c.workers[0]?.tail(80)}`);
    });
    const acknowledged = deliveries.filter((d) => d.status === 202).map((d) => d.externalId);
    const users = await c.simAdmin.listUsers();
    const counts = new Map<string, number>();
    for (const u of users) counts.set(String(u.externalId), (counts.get(String(u.externalId)) ?? 0) + 1);
    const lost = acknowledged.filter((id) => !counts.has(id));
    const duplicated = [...counts.values()].filter((n) => n > 1).length;
    const refused = deliveries.filter((d) => d.status !== 202);
    expect(lost).toEqual([]);
    expect(duplicated).toBe(0);
    expect(refused.every((d) => d.status === 503)).toBe(true);
    expect(promoted.port).not.toBe(former.port);
    const backAfterMs = (back?.at ?? Number.POSITIVE_INFINITY) - promotedAt;
    expect(backAfterMs).toBeLessThanOrEqual(10_000);
    // The worker resumed by itself: the same process synced the events acknowledged after the promotion.
    expect(c.workers.every((w) => w.running)).toBe(true);
    recordFigures('sentinel-failover', {
      property: 'Sentinel failover with REDIS_MIN_REPLICAS_ACK=1 loses no acknowledged event',
      figures: {
        'deliveries sent': deliveries.length,
        'acknowledged (202)': acknowledged.length,
        'refused (503)': refused.length,
        'acknowledged events lost': lost.length,
        'applied twice': duplicated,
        'kill → promotion (s)': ((promotedAt - killedAt) / 1000).toFixed(1),
        'promotion → first 202 (s)': (backAfterMs / 1000).toFixed(1),
      },
    });
  });
});
