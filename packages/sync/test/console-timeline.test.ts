import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import type { TimelineEntry } from '../src/console-view.js';
import { ingestEffective } from '../src/effective-intake.js';
import { createKeys } from '../src/keys.js';
import { PersonStore } from '../src/person-store.js';
import { PersonTimeline, TIMELINE_CAP } from '../src/person-timeline.js';
import { ScheduledChanges } from '../src/scheduled-changes.js';
import { startConsoleHarness } from './console-harness.js';
import { hr } from './engine-harness.js';

const UUID = /^[0-9a-f-]{36}$/;

describe('the console timeline', () => {
  redisTest(
    'a create, an update and a policy failure: events, syncs with their requests, the failure',
    async ({ redisUrl, redis, prefix }) => {
      const h = await startConsoleHarness({ redisUrl, prefix });
      expect(await redis.exists(`${prefix}:timeline:T-1`)).toBe(0);
      try {
        await h.sync(await h.send({ id: 'evt-create', event: 'user.created', data: hr('T-1') }));
        await h.sync(
          await h.send({ id: 'evt-title', event: 'user.updated', data: hr('T-1', { title: 'Lead' }) }),
        );
        const denied = hr('T-1', { departmentCode: 'Sales', role: 'admin' });
        const role = { id: 'evt-role', event: 'user.updated' as const, occurredAt: new Date().toISOString() };
        const failed = await h.sync(await h.send({ ...role, data: denied }));
        expect(failed.failures).toEqual([
          expect.objectContaining({ externalId: 'T-1', code: 'policy_violation' }),
        ]);
        // A redelivery is noted too, as a duplicate.
        await h.send({ ...role, data: denied });

        const events = await h.entries('T-1', 'event');
        expect(events.map((e) => [e.eventId, e.type, e.status])).toEqual([
          ['evt-role', 'user.updated', 'duplicate'],
          ['evt-role', 'user.updated', 'accepted'],
          ['evt-title', 'user.updated', 'accepted'],
          ['evt-create', 'user.created', 'accepted'],
        ]);
        for (const e of events) expect(Date.parse(e.occurredAt)).toBeGreaterThan(0);

        const syncs = (await h.entries('T-1', 'sync')).reverse();
        expect(syncs.map((s) => s.outcome)).toEqual(['created', 'updated', 'failed']);
        const [created, updated, refused] = syncs;
        const scimId = (await h.sim.admin.getUserByExternalId('T-1'))?.user?.id;
        expect(created?.correlationId).toBe('evt-create');
        expect(created?.jobId).toMatch(/^job-/);
        expect(created?.reportId).toMatch(/^rep-/);
        expect(created?.requests.map((r) => [r.method, r.path, r.status])).toEqual([
          ['GET', '/Users', 200],
          ['POST', '/Users', 201],
        ]);
        expect(updated?.requests.map((r) => [r.method, r.path, r.status])).toEqual([
          ['PATCH', `/Users/${scimId}`, 200],
        ]);
        for (const request of [...(created?.requests ?? []), ...(updated?.requests ?? [])]) {
          expect(request.durationMs).toBeGreaterThanOrEqual(0);
          expect(request.targetCorrelationId).toMatch(UUID);
        }
        expect(created?.requests.every((r) => r.correlationId === 'evt-create')).toBe(true);
        expect(updated?.requests[0]?.correlationId).toBe('evt-title');
        // What the simulator logged is what the timeline shows.
        const log = await h.sim.admin.requests();
        const patch = log.find((r) => r.method === 'PATCH');
        expect(patch?.ininCorrelationId).toBe(updated?.requests[0]?.targetCorrelationId);

        expect(refused?.requests).toEqual([]);
        expect(refused?.discrepancies).toEqual([
          expect.objectContaining({ type: 'policy_violation', detail: expect.any(String) }),
        ]);
        const [failure] = await h.entries('T-1', 'failed');
        expect(failure).toMatchObject({ code: 'policy_violation', final: true });
        expect(failure?.message).not.toMatch(/\n|\.ts:|\bat /);

        const reader = await h.console.person('T-1');
        expect(reader?.timeline.map((e) => e.kind)).toEqual([
          'event',
          'failed',
          'sync',
          'event',
          'sync',
          'event',
          'sync',
          'event',
        ]);
      } finally {
        await h.close();
      }
    },
  );

  redisTest('keeps the last 100 entries and none older than the retention', async ({ redis, prefix }) => {
    const keys = createKeys(prefix);
    let now = Date.parse('2026-11-28T09:00:00Z');
    const day = 86_400_000;
    const timeline = new PersonTimeline({
      redis,
      keys,
      settings: { cap: TIMELINE_CAP, retentionMs: 2 * day },
      now: () => now,
    });
    const entry = (at: number, n: number): TimelineEntry => ({
      kind: 'resync',
      at,
      by: 'operator',
      jobId: `j-${n}`,
    });
    for (let n = 0; n < 120; n++) await timeline.append('R-1', entry(now - 3 * day + n * 60_000, n));
    expect(await redis.llen(keys.timeline('R-1'))).toBe(100);
    // All 100 kept are older than two days: none is shown.
    expect(await timeline.read('R-1')).toEqual([]);
    await timeline.append('R-1', entry(now - day, 200), entry(now, 201));
    expect((await timeline.read('R-1')).map((e) => (e.kind === 'resync' ? e.jobId : e.kind))).toEqual([
      'j-201',
      'j-200',
    ]);
    now += 1.5 * day;
    expect((await timeline.read('R-1')).map((e) => (e.kind === 'resync' ? e.jobId : e.kind))).toEqual([
      'j-201',
    ]);
    // The key itself expires with the retention.
    const ttl = await redis.pttl(keys.timeline('R-1'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2 * day);
  });

  redisTest('intake notes every event inside its script, capped the same way', async ({ redis, prefix }) => {
    const keys = createKeys(prefix);
    const people = new PersonStore({ redis, keys, timeline: { cap: TIMELINE_CAP, retentionMs: 86_400_000 } });
    const events = Array.from({ length: 105 }, (_, n) => ({
      idempotencyKey: n === 104 ? 'wh|1#104' : `e-${n}`,
      type: 'user.updated' as const,
      occurredAtMs: 1_000 + (n === 104 ? -500 : n),
      data: { externalId: 'I-1', title: `t${n}` },
    }));
    const statuses = await people.ingest(events);
    expect(statuses.at(-1)?.status).toBe('stale');
    expect(await redis.llen(keys.timeline('I-1'))).toBe(100);
    const [newest] = await new PersonTimeline({ redis, keys }).read('I-1');
    expect(newest).toEqual({
      kind: 'event',
      at: expect.any(Number),
      eventId: 'wh|1#104',
      type: 'user.updated',
      occurredAt: new Date(500).toISOString(),
      status: 'stale',
    });
    expect(JSON.stringify(newest)).not.toContain('t104');
    const pttl = await redis.pttl(keys.timeline('I-1'));
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(86_400_000);
  });

  redisTest(
    'a future-dated event is noted as scheduled, its redelivery as a duplicate',
    async ({ redis, prefix }) => {
      const keys = createKeys(prefix);
      const timeline = { cap: TIMELINE_CAP, retentionMs: 86_400_000 };
      const parts = {
        people: new PersonStore({ redis, keys, timeline }),
        schedule: new ScheduledChanges({ redis, keys, timeline }),
      };
      const now = Date.parse('2026-11-28T09:00:00Z');
      const event = {
        idempotencyKey: 'promo-1',
        type: 'user.updated' as const,
        occurredAtMs: now - 1000,
        data: { externalId: 'F-1', title: 'Lead' },
      };
      const later = now + 7 * 86_400_000;
      expect(await ingestEffective(parts, [event], [later], now)).toEqual([
        { status: 'scheduled', externalId: 'F-1' },
      ]);
      expect(await ingestEffective(parts, [event], [later], now)).toEqual([
        { status: 'duplicate', externalId: 'F-1' },
      ]);
      const entries = await new PersonTimeline({ redis, keys, now: () => now }).read('F-1');
      expect(entries.map((e) => (e.kind === 'event' ? [e.eventId, e.status, e.at] : e.kind))).toEqual([
        ['promo-1', 'duplicate', now],
        ['promo-1', 'scheduled', now],
      ]);
    },
  );
});
