import { JOBS } from '@dirsync/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, hr, stopAndCheck } from './cluster.js';
import { recordFigures } from './figures.js';

const BUDGET = 180;

describe('target faults under the request budget', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    // The simulator allows each worker's token as much as the whole budget: only dirsync's shared budget can keep
    // the two workers together under it.
    cluster = await Cluster.start({
      workers: 2,
      budgetPerMinute: BUDGET,
      simLimitPerMinute: BUDGET,
      simLatencyMs: 10,
    });
  });
  afterAll(async () => {
    await stopAndCheck(cluster);
  });

  it('5xx, resets, latency spikes, a 429 storm and edits behind our back: all converge, budget never exceeded', async () => {
    const people = Array.from({ length: 60 }, (_, i) => `TF-${i}`);
    await cluster.simAdmin.setFaults({
      seed: 11,
      serverErrorRate: 0.1,
      connectionResetRate: 0.03,
      latencySpikeRate: 0.05,
      latencySpikeMs: 2000,
      conflictRate: 0.2,
      throttleBurst: { count: 8, retryAfterSeconds: 2 },
    });
    expect(
      (await cluster.send(people.map((id) => ({ event: 'user.created' as const, data: hr(id) })))).status,
    ).toBe(202);
    // Updates after the creates landed, so they are PATCHes (edits behind our back make them conflict).
    await cluster.drained(240_000);
    const updated = people.slice(0, 40);
    expect(
      (
        await cluster.send(
          updated.map((id) => ({ event: 'user.updated' as const, data: hr(id, { title: 'Senior Agent' }) })),
        )
      ).status,
    ).toBe(202);

    await cluster.drained(240_000);
    const byId = new Map((await cluster.simAdmin.listUsers()).map((u) => [u.externalId, u]));
    const wrong = people.filter(
      (id) => byId.get(id)?.title !== (updated.includes(id) ? 'Senior Agent' : 'Agent'),
    );
    expect(wrong).toEqual([]);
    expect(byId.size).toBe(people.length);
    // Every failure was transient: none may end as a failed job.
    const failed = (await cluster.syncQueue.getJobs(['failed'])).filter((j) => j.name !== JOBS.sweep);
    expect(failed.map((j) => j.failedReason)).toEqual([]);
    const counters = await cluster.simAdmin.counters();
    expect(counters.maxRequestsInAnyWindow).toBeLessThanOrEqual(BUDGET);
    expect(counters.requests).toBeGreaterThan(BUDGET);
    expect(counters.serverErrors).toBeGreaterThan(0);
    expect(counters.resets).toBeGreaterThan(0);
    expect(counters.throttled429).toBeGreaterThanOrEqual(8);
    expect(counters.conflicts).toBeGreaterThan(0);
    recordFigures('target-faults', {
      property: 'transient target faults never fail a job; both workers together stay within the budget',
      figures: {
        events: people.length + updated.length,
        'SCIM requests': counters.requests,
        '5xx injected': counters.serverErrors,
        'resets injected': counters.resets,
        '429s injected': counters.throttled429,
        'conflicts injected': counters.conflicts,
        'failed jobs': failed.length,
        'most requests in any 60 s': `${counters.maxRequestsInAnyWindow} (budget ${BUDGET})`,
      },
    });
  });
});
