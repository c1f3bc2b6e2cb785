import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, hr, stopAndCheck, waitUntil } from './cluster.js';
import { recordFigures } from './figures.js';

describe('crash: a worker killed with SIGKILL mid-batch', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    // Slow target so the kill lands while batches are in flight; the product's concurrency, lock and sweep
    // defaults, so the recovery time measured is the one an operator gets.
    cluster = await Cluster.start({
      workers: 2,
      simLatencyMs: 60,
      workerEnv: { SYNC_CONCURRENCY: '8', JOB_LOCK_SECONDS: '6', SWEEP_INTERVAL_SECONDS: '15' },
    });
  });
  afterAll(async () => {
    await stopAndCheck(cluster);
  });

  it('recovers its jobs within 15 s: every accepted event converges, no duplicate creates', async () => {
    const people = Array.from({ length: 120 }, (_, i) => `CR-${i}`);
    for (let i = 0; i < people.length; i += 40) {
      const res = await cluster.send(
        people.slice(i, i + 40).map((id) => ({ event: 'user.created' as const, data: hr(id) })),
      );
      expect(res.status).toBe(202);
    }
    // Kill a worker once it is busy: some people created, most not yet.
    const victim = cluster.workers[0];
    await waitUntil(
      async () => (await cluster.simAdmin.listUsers()).length,
      (n) => n >= 10,
      { what: 'some creates' },
    );
    const killedAt = Date.now();
    victim?.child.kill('SIGKILL');
    const exit = await victim?.exited;
    expect(exit?.signal).toBe('SIGKILL');
    const atKill = (await cluster.simAdmin.listUsers()).length;
    expect(atKill).toBeLessThan(people.length);
    await cluster.startWorker();

    await cluster.drained();
    const users = await cluster.simAdmin.listUsers();
    const byExternalId = new Map<string, number>();
    for (const u of users)
      byExternalId.set(String(u.externalId), (byExternalId.get(String(u.externalId)) ?? 0) + 1);
    const missing = people.filter((id) => !byExternalId.has(id));
    const duplicates = [...byExternalId.values()].filter((n) => n > 1).length;
    const requests = await cluster.simAdmin.requests();
    const creates = requests.filter((r) => r.method === 'POST' && r.status === 201);
    const posts = creates.length;
    // Recovery: from the kill to the last accepted event applied in the target, by the target's own log.
    const lastApplied = Math.max(...creates.map((r) => Date.parse(r.at) + r.durationMs));
    const recoveryMs = lastApplied - killedAt;
    expect(missing).toEqual([]);
    expect(duplicates).toBe(0);
    expect(posts).toBe(people.length);
    expect(recoveryMs).toBeLessThanOrEqual(15_000);
    recordFigures('crash', {
      property: 'a SIGKILLed worker loses nothing and repeats no create',
      figures: {
        'events accepted': people.length,
        'workers killed': 1,
        'created before the kill': atKill,
        'events lost': missing.length,
        'duplicate creates': posts - people.length,
        'recovery, kill → last event applied (s)': (recoveryMs / 1000).toFixed(1),
      },
    });
  });
});
