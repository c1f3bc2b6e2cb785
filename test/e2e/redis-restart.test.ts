import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, hr, stopAndCheck } from './cluster.js';
import { recordFigures } from './figures.js';

describe('Redis restart while events flow', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await Cluster.start({ workers: 2, simLatencyMs: 5 });
  });
  afterAll(async () => {
    await stopAndCheck(cluster);
  });

  it('503 while down, never a 202 that was not kept; everything accepted converges afterwards', async () => {
    const outcomes = new Map<string, number[]>();
    let sent = 0;
    let stop = false;
    // A sender that keeps delivering one new person per request, as an HR system would during the outage.
    const sender = (async () => {
      while (!stop) {
        const id = `RR-${sent++}`;
        const res = await cluster.send({ id: `evt-${id}`, event: 'user.created', data: hr(id) });
        outcomes.set(id, [...(outcomes.get(id) ?? []), res.status]);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await new Promise((r) => setTimeout(r, 1000));
    // SIGKILL: a crash, not a clean shutdown; only what the AOF holds survives.
    await cluster.restartRedis(2000);
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await sender;

    const statuses = [...outcomes.values()].map((s) => s[0]);
    const refused = [...outcomes.entries()].filter(([, s]) => s[0] !== 202).map(([id]) => id);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 202 || s === 503)).toBe(true);

    // The sender retries what was refused (a 503 promised nothing).
    for (const id of refused) {
      const res = await cluster.send({ id: `evt-${id}`, event: 'user.created', data: hr(id) });
      expect(res.status).toBe(202);
    }
    await cluster.drained(180_000);
    const users = await cluster.simAdmin.listUsers();
    const present = new Set(users.map((u) => u.externalId));
    const lost = [...outcomes.keys()].filter((id) => !present.has(id));
    expect(lost).toEqual([]);
    expect(users).toHaveLength(outcomes.size);
    recordFigures('redis-restart', {
      property: 'Redis killed and restarted on its AOF: 503 while down, nothing accepted is lost',
      figures: {
        deliveries: sent,
        'answered 202': statuses.filter((s) => s === 202).length,
        'answered 503': statuses.filter((s) => s === 503).length,
        'events lost': lost.length,
        'duplicate creates': users.length - present.size,
      },
    });
  });
});
