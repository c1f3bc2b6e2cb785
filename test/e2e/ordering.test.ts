import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type HrEvent, hr, stopAndCheck } from './cluster.js';
import { recordFigures } from './figures.js';

describe('ordering under load', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await Cluster.start({ workers: 2, simLatencyMs: 2 });
  });
  afterAll(async () => {
    await stopAndCheck(cluster);
  });

  it('thousands of updates, shuffled and duplicated: every user ends at its newest event', async () => {
    const users = 300;
    const updatesPerUser = 10;
    const events: HrEvent[] = [];
    for (let u = 0; u < users; u++) {
      for (let k = 0; k < updatesPerUser; k++) {
        events.push({
          id: `ord-${u}-${k}`,
          event: k === 0 ? 'user.created' : 'user.updated',
          // Distinct times per user; arrival order is scrambled below.
          occurredAt: new Date(Date.UTC(2026, 10, 28, 8, 0, 0) + u * 1000 + k * 10).toISOString(),
          data: hr(`ORD-${u}`, { title: `title-${k}`, phone: `+1555000${String(k).padStart(4, '0')}` }),
        });
      }
    }
    const [shuffled] = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
      numRuns: 1,
      seed: 20261128,
    });
    const [replays] = fc.sample(fc.subarray(events, { minLength: 500, maxLength: 500 }), {
      numRuns: 1,
      seed: 7,
    });
    const deliveries = [...(shuffled ?? events), ...(replays ?? [])];
    const batches: HrEvent[][] = [];
    for (let i = 0; i < deliveries.length; i += 50) batches.push(deliveries.slice(i, i + 50));
    let duplicates = 0;
    // Four deliveries in flight at a time, as a webhook gateway would.
    for (let i = 0; i < batches.length; i += 4) {
      const answers = await Promise.all(batches.slice(i, i + 4).map((b) => cluster.send(b)));
      for (const a of answers) {
        expect(a.status).toBe(202);
        duplicates += Number(a.body.duplicates ?? 0);
      }
    }
    expect(duplicates).toBe(500);

    await cluster.drained(180_000);
    const byId = new Map((await cluster.simAdmin.listUsers()).map((u) => [u.externalId, u]));
    const wrong: string[] = [];
    for (let u = 0; u < users; u++) {
      const user = byId.get(`ORD-${u}`);
      if (user?.title !== `title-${updatesPerUser - 1}`) wrong.push(`ORD-${u}=${user?.title}`);
    }
    expect(wrong).toEqual([]);
    expect(byId.size).toBe(users);
    const counters = await cluster.simAdmin.counters();
    expect(counters.conflicts).toBe(0);
    recordFigures('ordering', {
      property: 'the newest event per person wins whatever the arrival order; replays change nothing',
      figures: {
        events: events.length,
        'replayed deliveries': 500,
        users,
        'users not at their newest event': wrong.length,
        'SCIM writes': counters.writes,
        'writes per user': (counters.writes / users).toFixed(2),
      },
    });
  });
});
