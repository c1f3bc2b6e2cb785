import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RedisClusterSet } from '@dirsync/harness';
import { Cluster as IoCluster, type Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, hr, stopAndCheck, waitUntil } from './cluster.js';
import { recordFigures } from './figures.js';

/** externalId → how many users the target holds for it (more than one is a duplicate create). */
async function usersByExternalId(cluster: Cluster): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const u of await cluster.simAdmin.listUsers()) {
    counts.set(String(u.externalId), (counts.get(String(u.externalId)) ?? 0) + 1);
  }
  return counts;
}

describe('Redis Cluster: three primaries, QUEUE_PREFIX with a hash tag', () => {
  let redis: RedisClusterSet | undefined;
  let cluster: Cluster | undefined;
  const tag = `dirsync-${Math.random().toString(36).slice(2, 8)}`;
  const snapshotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirsync-cluster-e2e-'));
  const snapshot = path.join(snapshotDir, 'hr.json');
  const people = Array.from({ length: 12 }, (_, i) => `RC-${i}`);

  beforeAll(async () => {
    redis = await RedisClusterSet.start();
    const nodes = redis.nodes;
    cluster = await Cluster.start({
      workers: 1,
      prefix: `{${tag}}`,
      redis: {
        env: redis.env,
        connect: () => new IoCluster(nodes, { redisOptions: { maxRetriesPerRequest: null } }),
      },
      apiEnv: { HR_SNAPSHOT: snapshot },
      workerEnv: { HR_SNAPSHOT: snapshot },
    });
  });
  afterAll(async () => {
    await stopAndCheck(cluster);
    await redis?.stop();
    fs.rmSync(snapshotDir, { recursive: true, force: true });
  });

  it('ingest, sync, reconcile, dashboard and reports work; every key lives in the hash tag slot', async () => {
    const c = cluster as Cluster;
    for (let i = 0; i < people.length; i += 4) {
      const res = await c.send(
        people.slice(i, i + 4).map((id) => ({ event: 'user.created' as const, data: hr(id) })),
      );
      expect(res.status).toBe(202);
    }
    await c.drained(60_000);
    const created = await usersByExternalId(c);
    expect(people.filter((id) => created.get(id) !== 1).map((id) => [id, created.get(id) ?? 0])).toEqual([]);

    // Reconcile's source, taken after the webhooks (a newer webhook would win): one person's title changed.
    fs.writeFileSync(
      snapshot,
      JSON.stringify(people.map((id, i) => hr(id, i === 0 ? { title: 'Team Lead' } : {}))),
    );
    const run = await c.admin('/admin/reconcile', { method: 'POST', body: JSON.stringify({ apply: true }) });
    expect(run.status).toBe(202);
    await waitUntil(
      async () => (await c.simAdmin.listUsers()).find((u) => u.externalId === 'RC-0')?.title,
      (title) => title === 'Team Lead',
      { what: 'reconcile to fix the drifted title', timeoutMs: 60_000 },
    );

    const reports = (await (await c.admin('/admin/reports')).json()) as { reports: { kind: string }[] };
    expect(reports.reports.some((r) => r.kind === 'sync')).toBe(true);
    await waitUntil(
      async () =>
        ((await (await c.admin('/admin/reports')).json()) as { reports: { kind: string }[] }).reports,
      (list) => list.some((r) => r.kind === 'reconcile'),
      { what: 'the reconcile report', timeoutMs: 30_000 },
    );
    for (const route of ['/admin/queues', '/admin/status']) {
      expect((await c.admin(route, { headers: { accept: 'text/html' } })).status, route).toBe(200);
    }

    // Every key of the deployment — BullMQ's and the product's own (Lua scripts touch several at once) — sits in
    // the one slot of the hash tag, on one primary.
    const io = c.redisClient as IoCluster;
    const slot = Number(await io.call('CLUSTER', 'KEYSLOT', `{${tag}}`));
    const keysPerNode = await Promise.all(
      io.nodes('master').map(async (node: Redis) => {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await node.scan(cursor, 'MATCH', `*${tag}*`, 'COUNT', 1000);
          cursor = next;
          keys.push(...batch);
        } while (cursor !== '0');
        return keys;
      }),
    );
    const holding = keysPerNode.filter((keys) => keys.length > 0);
    expect(holding).toHaveLength(1);
    const keys = holding[0] ?? [];
    expect(keys.some((k) => k.includes(':sync:'))).toBe(true);
    for (const key of keys.slice(0, 50)) {
      expect(Number(await io.call('CLUSTER', 'KEYSLOT', key)), key).toBe(slot);
    }
    recordFigures('redis-cluster', {
      property: 'the full flow runs on a three-primary Redis Cluster, every key in the hash tag slot',
      figures: { primaries: 3, people: people.length, keys: keys.length, 'primaries holding keys': 1 },
    });
  });
});

describe('two API instances and three workers behind one Redis', () => {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    cluster = await Cluster.start({ apis: 2, workers: 3, simLatencyMs: 20 });
  });
  afterAll(async () => {
    await stopAndCheck(cluster);
  });

  it('events spread across both APIs all converge, each person created once', async () => {
    const c = cluster as Cluster;
    const people = Array.from({ length: 60 }, (_, i) => `MI-${i}`);
    const answered: number[] = [];
    for (let i = 0; i < people.length; i += 5) {
      const batch = people.slice(i, i + 5);
      answered.push(
        (await c.send(batch.map((id) => ({ event: 'user.created' as const, data: hr(id) })))).status,
      );
      // An update for the same people through the other API.
      answered.push(
        (
          await c.send(
            batch.map((id) => ({ event: 'user.updated' as const, data: hr(id, { title: 'Senior Agent' }) })),
          )
        ).status,
      );
    }
    expect(answered.every((s) => s === 202)).toBe(true);
    await c.drained(90_000);
    const users = await c.simAdmin.listUsers();
    const counts = await usersByExternalId(c);
    // Each wrong person with how many users the target holds for them (0: lost, 2: created twice).
    expect(people.filter((id) => counts.get(id) !== 1).map((id) => [id, counts.get(id) ?? 0])).toEqual([]);
    expect(users.filter((u) => people.includes(String(u.externalId)) && u.title !== 'Senior Agent')).toEqual(
      [],
    );
    // Both APIs took deliveries and every worker synced.
    for (const api of c.apis) {
      const metrics = await (await fetch(`${api.url}/metrics`)).text();
      expect(metrics, api.url).toMatch(/dirsync_webhook_events_total\{result="accepted"\} [1-9]/);
    }
  });
});
