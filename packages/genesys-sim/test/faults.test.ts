import { describe, expect, it } from 'vitest';
import { type Harness, scimError, startHarness } from './harness.js';

async function statuses(h: Harness, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await h.scim('GET', '/Users')).status);
  return out;
}

describe('server errors', () => {
  it('answers every SCIM request with 500, 502 or 503 at rate 1, with a SCIM body', async () => {
    const h = await startHarness({ faults: { serverErrorRate: 1 } });
    for (let i = 0; i < 10; i++) {
      const answer = await h.scim('GET', '/Users');
      expect([500, 502, 503]).toContain(answer.status);
      expect(answer.body).toEqual(scimError(answer.status, undefined));
    }
    const counters = await h.sim.admin.counters();
    expect(counters.serverErrors).toBe(10);
    const log = await h.sim.admin.requests();
    expect(log.every((e) => e.fault === 'serverError')).toBe(true);
  });

  it('is deterministic for a seed, and off at rate 0', async () => {
    const a = await startHarness({ faults: { serverErrorRate: 0.5, seed: 42 } });
    const b = await startHarness({ faults: { serverErrorRate: 0.5, seed: 42 } });
    const seqA = await statuses(a, 20);
    expect(await statuses(b, 20)).toEqual(seqA);
    expect(seqA.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(seqA.filter((s) => s >= 500).length).toBeGreaterThan(0);
    await a.sim.admin.setFaults({ serverErrorRate: 0 });
    expect(await statuses(a, 10)).toEqual(Array(10).fill(200));
  });
});

describe('connection resets', () => {
  it('destroys the socket without an answer and records it', async () => {
    const h = await startHarness();
    await h.token();
    await h.sim.admin.setFaults({ connectionResetRate: 1 });
    await expect(h.scim('GET', '/Users')).rejects.toThrow();
    await h.sim.admin.setFaults({ connectionResetRate: 0 });
    expect((await h.scim('GET', '/Users')).status).toBe(200);
    const counters = await h.sim.admin.counters();
    expect(counters.resets).toBe(1);
    expect(counters.status['0']).toBe(1);
    const [reset] = await h.sim.admin.requests();
    expect(reset).toMatchObject({ status: 0, fault: 'reset', method: 'GET' });
  });
});

describe('throttle bursts', () => {
  it('answers the next N requests with 429 and the given Retry-After, then recovers', async () => {
    const h = await startHarness();
    await h.sim.admin.setFaults({ throttleBurst: { count: 2, retryAfterSeconds: 7 } });
    for (let i = 0; i < 2; i++) {
      const answer = await h.scim('GET', '/Users');
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('7');
      expect(answer.body).toEqual(scimError(429, undefined));
    }
    expect((await h.scim('GET', '/Users')).status).toBe(200);
    expect((await h.sim.admin.faults()).throttleBurst.count).toBe(0);
    expect((await h.sim.admin.counters()).throttled429).toBe(2);
  });
});

describe('conflicts', () => {
  it('moves the version before a PATCH or PUT with If-Match, so it is answered 400 invalidVers', async () => {
    const h = await startHarness({ faults: { conflictRate: 1 } });
    const user = await h.create({ userName: 'c@example.com', displayName: 'C' });
    const patch = await h.patch(user.id, [{ op: 'replace', path: 'title', value: 'x' }], {
      'if-match': '"1"',
    });
    expect(patch.status).toBe(400);
    expect(patch.body).toEqual(scimError(400, 'invalidVers'));
    const put = await h.scim('PUT', `/Users/${user.id}`, { body: user, headers: { 'if-match': '"2"' } });
    expect(put.status).toBe(400);
    // Without If-Match the write goes through: the fault only bites conditional writes.
    const blind = await h.patch(user.id, [{ op: 'replace', path: 'title', value: 'y' }]);
    expect(blind.status).toBe(200);
    const state = await h.sim.admin.getUser(user.id);
    expect(state?.history.map((e) => e.actor)).toEqual(['api', 'fault', 'fault', 'api']);
    expect((await h.sim.admin.counters()).conflicts).toBe(2);
  });
});

describe('latency', () => {
  it('adds latencyMs to every SCIM request', async () => {
    const h = await startHarness({ latencyMs: 60 });
    const started = performance.now();
    expect((await h.scim('GET', '/Users')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    const [entry] = await h.sim.admin.requests();
    expect(entry?.durationMs).toBeGreaterThanOrEqual(55);
  });

  it('adds latency spikes at the configured rate', async () => {
    const h = await startHarness();
    await h.token();
    await h.sim.admin.setFaults({ latencySpikeRate: 1, latencySpikeMs: 80 });
    const started = performance.now();
    await h.scim('GET', '/Users');
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });
});

describe('failNext', () => {
  it('answers exactly the matching requests, count times, with the given status and scimType', async () => {
    const h = await startHarness();
    const user = await h.create({ userName: 'f@example.com', displayName: 'F' });
    await h.sim.admin.setFaults({
      failNext: [
        {
          method: 'patch',
          pathPattern: '/Users/[^/]+$',
          status: 409,
          scimType: 'mutability',
          detail: 'Busy',
          count: 2,
        },
      ],
    });
    expect((await h.scim('GET', `/Users/${user.id}`)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const answer = await h.patch(user.id, [{ op: 'replace', path: 'title', value: 'x' }]);
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual(scimError(409, 'mutability', 'Busy'));
    }
    expect((await h.patch(user.id, [{ op: 'replace', path: 'title', value: 'x' }])).status).toBe(200);
    expect((await h.sim.admin.faults()).failNext).toEqual([]);
    expect((await h.sim.admin.getUser(user.id))?.history).toHaveLength(2);
  });

  it('can answer 503 with Retry-After', async () => {
    const h = await startHarness({ faults: { failNext: [{ status: 503, retryAfterSeconds: 3 }] } });
    const answer = await h.scim('GET', '/Users');
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('3');
    expect((await h.scim('GET', '/Users')).status).toBe(200);
  });
});
