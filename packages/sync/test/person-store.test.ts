import type { EventType } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { IdempotencyConflictError } from '../src/idempotency-conflict.js';
import { createKeys } from '../src/keys.js';
import type { IncomingEvent } from '../src/person-state.js';
import { PersonStore } from '../src/person-store.js';

function event(
  key: string,
  externalId: string,
  type: EventType,
  occurredAtMs: number,
  extra: Record<string, unknown> = {},
): IncomingEvent {
  return { idempotencyKey: key, type, occurredAtMs, data: { externalId, ...extra } };
}

describe('PersonStore.ingest', () => {
  redisTest(
    'keeps the newest event per person; duplicates and late older events change nothing',
    async ({ redis, prefix }) => {
      const store = new PersonStore({ redis, keys: createKeys(prefix) });
      const first = await store.ingest([
        event('e1', 'HR-1', 'user.created', 1000, { title: 'Engineer' }),
        event('e2', 'HR-1', 'user.updated', 3000, { title: 'Senior Engineer' }),
        event('e3', 'HR-1', 'user.updated', 2000, { title: 'Late and older' }),
        event('e1', 'HR-1', 'user.created', 1000, { title: 'Engineer' }),
      ]);
      expect(first.map((r) => r.status)).toEqual(['applied', 'applied', 'stale', 'duplicate']);
      const state = await store.get('HR-1');
      expect(state).toMatchObject({
        event: 'user.updated',
        rev: 2,
        appliedRev: 0,
        correlationId: 'e2',
        active: true,
      });
      expect(state?.data.title).toBe('Senior Engineer');
    },
  );

  redisTest(
    'occurredAt at full precision: .123456 arriving after .123789 of the same millisecond changes nothing',
    async ({ redis, prefix }) => {
      const store = new PersonStore({ redis, keys: createKeys(prefix) });
      const ms = Date.parse('2026-11-28T09:30:00.123Z');
      const newer = { ...event('n', 'HR-N', 'user.updated', ms, { title: 'Newer' }), occurredAtNs: 789_000 };
      const older = { ...event('o', 'HR-N', 'user.updated', ms, { title: 'Older' }), occurredAtNs: 456_000 };
      await store.ingest([newer]);
      expect((await store.ingest([older])).map((r) => r.status)).toEqual(['stale']);
      expect(await store.get('HR-N')).toMatchObject({ rev: 1, occurredAtNs: 789_000 });
      expect((await store.get('HR-N'))?.data.title).toBe('Newer');
      // A state stored before nanoseconds were kept reads them as 0: any later nanosecond is newer.
      await redis.hdel(createKeys(prefix).person('HR-N'), 'occns');
      expect(await store.ingest([{ ...older, idempotencyKey: 'o2' }])).toMatchObject([{ status: 'applied' }]);
    },
  );

  redisTest(
    'idempotency keys are scoped to the person; a key reused with other content refuses the whole batch',
    async ({ redis, prefix }) => {
      const store = new PersonStore({ redis, keys: createKeys(prefix) });
      const p1 = event('evt-1', 'P-1', 'user.created', 1000, { title: 'One' });
      expect(await store.ingest([p1])).toMatchObject([{ status: 'applied' }]);
      // The same id for another person is another key.
      const p2 = event('evt-1', 'P-2', 'user.created', 1000, { title: 'Two' });
      expect(await store.ingest([p2])).toMatchObject([{ status: 'applied', externalId: 'P-2' }]);
      expect(await store.ingest([p1])).toMatchObject([{ status: 'duplicate' }]);

      const reused = event('evt-1', 'P-1', 'user.updated', 2000, { title: 'Changed' });
      const other = event('evt-9', 'P-3', 'user.created', 2000, { title: 'Three' });
      const refused = store.ingest([other, reused]);
      await expect(refused).rejects.toBeInstanceOf(IdempotencyConflictError);
      await expect(refused).rejects.toMatchObject({ idempotencyKey: 'evt-1', externalId: 'P-1', index: 1 });
      expect(await store.get('P-3')).toBeUndefined();
      expect(await store.get('P-1')).toMatchObject({ rev: 1 });
      // Two events with one key and different contents in one batch: refused as well.
      const twice = store.ingest([other, { ...other, data: { externalId: 'P-3', title: 'Else' } }]);
      await expect(twice).rejects.toBeInstanceOf(IdempotencyConflictError);
      expect(await store.get('P-3')).toBeUndefined();
    },
  );

  redisTest('on equal occurredAt the later arrival wins', async ({ redis, prefix }) => {
    const store = new PersonStore({ redis, keys: createKeys(prefix) });
    await store.ingest([event('a', 'HR-2', 'user.updated', 5000, { title: 'A' })]);
    await store.ingest([event('b', 'HR-2', 'user.updated', 5000, { title: 'B' })]);
    expect((await store.get('HR-2'))?.data.title).toBe('B');
  });

  redisTest(
    'a bare deactivation keeps the last full record; an update does not reactivate',
    async ({ redis, prefix }) => {
      const store = new PersonStore({ redis, keys: createKeys(prefix) });
      await store.ingest([
        event('c', 'HR-3', 'user.created', 1000, { workEmail: 'x@example.com', role: 'agent' }),
        event('d', 'HR-3', 'user.deactivated', 2000),
      ]);
      expect(await store.get('HR-3')).toMatchObject({ active: false, event: 'user.deactivated' });
      expect((await store.get('HR-3'))?.data.role).toBe('agent');
      await store.ingest([
        event('u', 'HR-3', 'user.updated', 3000, { workEmail: 'x@example.com', role: 'supervisor' }),
      ]);
      expect(await store.get('HR-3')).toMatchObject({ active: false, event: 'user.updated' });
      await store.ingest([event('r', 'HR-3', 'user.reactivated', 4000)]);
      const state = await store.get('HR-3');
      expect(state).toMatchObject({ active: true, event: 'user.reactivated' });
      expect(state?.data.role).toBe('supervisor');
    },
  );

  redisTest(
    'property: whatever the arrival order, each person ends at its newest event',
    async ({ redis, prefix }) => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              person: fc.integer({ min: 0, max: 3 }),
              occurredAt: fc.integer({ min: 0, max: 20 }),
            }),
            { minLength: 1, maxLength: 30 },
          ),
          fc.integer({ min: 1, max: 7 }),
          async (events, batchSize) => {
            run += 1;
            const store = new PersonStore({ redis, keys: createKeys(`${prefix}:${run}`) });
            const incoming = events.map((e, i) =>
              event(`k${i}`, `P${e.person}`, 'user.updated', e.occurredAt, { title: `t${i}` }),
            );
            for (let i = 0; i < incoming.length; i += batchSize)
              await store.ingest(incoming.slice(i, i + batchSize));
            for (const person of new Set(events.map((e) => e.person))) {
              // Newest by occurredAt, ties broken by arrival: the last index with the maximal occurredAt.
              let winner = -1;
              events.forEach((e, i) => {
                if (e.person !== person) return;
                const best = winner < 0 ? undefined : events[winner];
                if (best === undefined || e.occurredAt >= best.occurredAt) winner = i;
              });
              expect((await store.get(`P${person}`))?.data.title).toBe(`t${winner}`);
            }
          },
        ),
        { numRuns: 40 },
      );
    },
  );
});

describe('PersonStore.ingestDelivery', () => {
  redisTest(
    'names the people a delivery made pending: not those already pending, again once they are settled',
    async ({ redis, prefix }) => {
      const store = new PersonStore({ redis, keys: createKeys(prefix) });
      const first = await store.ingestDelivery([
        event('a1', 'HR-A', 'user.created', 1000),
        event('a2', 'HR-A', 'user.updated', 2000),
        event('b1', 'HR-B', 'user.created', 1000),
      ]);
      expect(first.statuses.map((s) => s.status)).toEqual(['applied', 'applied', 'applied']);
      expect(first.newlyPending).toEqual(['HR-A', 'HR-B']);

      const again = await store.ingestDelivery([
        event('a3', 'HR-A', 'user.updated', 3000),
        event('a1', 'HR-A', 'user.created', 1000),
        event('c0', 'HR-C', 'user.updated', 500),
      ]);
      expect(again.statuses.map((s) => s.status)).toEqual(['applied', 'duplicate', 'applied']);
      expect(again.newlyPending).toEqual(['HR-C']);

      const claim = await store.claim('HR-A');
      if (!claim) throw new Error('no lock');
      expect(await store.complete(claim.lock, 3)).toEqual({ status: 'released' });
      const settled = await store.ingestDelivery([
        event('a4', 'HR-A', 'user.updated', 5000),
        event('a0', 'HR-A', 'user.updated', 100),
      ]);
      expect(settled.statuses.map((s) => s.status)).toEqual(['applied', 'stale']);
      expect(settled.newlyPending).toEqual(['HR-A']);
    },
  );
});

describe('PersonStore locks', () => {
  redisTest(
    'one sync per person; a change during the sync is handed to the holder, not lost',
    async ({ redis, prefix }) => {
      const keys = createKeys(prefix);
      const store = new PersonStore({ redis, keys });
      await store.ingest([event('e1', 'HR-9', 'user.created', 1000)]);
      const claim = await store.claim('HR-9');
      expect(claim?.state?.rev).toBe(1);
      expect(await store.claim('HR-9')).toBeUndefined();

      await store.ingest([event('e2', 'HR-9', 'user.updated', 2000)]);
      const lock = claim?.lock;
      if (!lock) throw new Error('no lock');
      expect(await store.complete(lock, 1)).toEqual({ status: 'newer', rev: 2 });
      expect(await store.claim('HR-9')).toBeUndefined();
      expect(await store.complete(lock, 2)).toEqual({ status: 'released' });
      expect(await store.pendingCount()).toBe(0);
      expect(await store.get('HR-9')).toMatchObject({ rev: 2, appliedRev: 2 });
      expect(await store.claim('HR-9')).toBeDefined();
    },
  );

  redisTest('a lost lock is reported and settles nothing', async ({ redis, prefix }) => {
    const keys = createKeys(prefix);
    const store = new PersonStore({ redis, keys });
    await store.ingest([event('e1', 'HR-8', 'user.created', 1000)]);
    const claim = await store.claim('HR-8');
    if (!claim) throw new Error('no claim');
    await redis.del(keys.lock('HR-8'));
    expect(await store.complete(claim.lock, 1)).toEqual({ status: 'lock_lost' });
    expect(await store.get('HR-8')).toMatchObject({ appliedRev: 0 });
    expect(await store.pendingCount()).toBe(1);
    expect(await store.renew(claim.lock)).toBe(false);
  });

  redisTest('releasing manager waiters bumps them and marks them pending', async ({ redis, prefix }) => {
    const store = new PersonStore({ redis, keys: createKeys(prefix) });
    await store.ingest([event('e1', 'HR-R', 'user.created', 1000, { managerExternalId: 'HR-M' })]);
    const claim = await store.claim('HR-R');
    if (!claim) throw new Error('no claim');
    await store.waitForManager('HR-R', 'HR-M');
    await store.complete(claim.lock, 1);
    expect(await store.pendingCount()).toBe(0);
    expect(await store.releaseManagerWaiters('HR-M')).toEqual(['HR-R']);
    expect(await store.get('HR-R')).toMatchObject({ rev: 2, appliedRev: 1 });
    expect(await store.pendingCount()).toBe(1);
    expect(await store.releaseManagerWaiters('HR-M')).toEqual([]);
  });

  redisTest(
    'contended people come back only if their holder let go without settling them',
    async ({ redis, prefix }) => {
      const store = new PersonStore({ redis, keys: createKeys(prefix), lockTtlMs: 1000 });
      await store.ingest(
        ['A', 'B', 'C'].map((id) => event(`e-${id}`, id, 'user.created', 1)),
        0,
      );
      const a = await store.claim('A');
      const b = await store.claim('B');
      await store.claim('C');
      await store.markContended(['A', 'B', 'C'], 0);
      if (!a || !b) throw new Error('no claim');
      await store.complete(a.lock, 1); // A: its holder settled it.
      await store.release(b.lock); // B: its holder died (lock gone, change unapplied).
      // C: still held.
      expect(await store.takeDueContended(10, 1000)).toEqual([]);
      expect(await store.takeDueContended(10, 2000)).toEqual(['B']);
      expect(await redis.zrange(createKeys(prefix).contended, '0', '-1')).toEqual(['C']);
    },
  );

  redisTest('the sweeper takes only stale, unlocked people, once per cut-off', async ({ redis, prefix }) => {
    const store = new PersonStore({ redis, keys: createKeys(prefix) });
    await store.ingest([event('a', 'A', 'user.created', 1), event('b', 'B', 'user.created', 1)], 1000);
    await store.ingest([event('c', 'C', 'user.created', 1)], 5000);
    await store.claim('B');
    expect(await store.takeStalePending(2000, 10, 6000)).toEqual(['A']);
    expect(await store.takeStalePending(2000, 10, 6000)).toEqual([]);
  });
});

describe('PersonStore retention', () => {
  redisTest(
    "a leaver's state becomes a field-free tombstone once the retention after the applied deactivation runs out",
    async ({ redis, prefix }) => {
      const keys = createKeys(prefix);
      const day = 86_400_000;
      const store = new PersonStore({ redis, keys, retentionMs: 90 * day });
      await store.ingest([
        event('c', 'HR-L', 'user.created', 1000, { workEmail: 'l@example.com', title: 'Agent' }),
        event('d', 'HR-L', 'user.deactivated', 2000),
      ]);
      const claim = await store.claim('HR-L');
      if (!claim) throw new Error('no claim');
      const appliedAt = 10 * day;
      expect(await store.complete(claim.lock, 2, { now: appliedAt })).toEqual({ status: 'released' });
      await redis.set(keys.target('HR-L'), '{"user":{"userName":"l@example.com"}}');

      expect(await store.retireDue(10, appliedAt + 90 * day - 1)).toEqual([]);
      expect((await store.get('HR-L'))?.data.title).toBe('Agent');
      expect(await store.retireDue(10, appliedAt + 90 * day)).toEqual(['HR-L']);

      const tombstone = await redis.hgetall(keys.person('HR-L'));
      expect(Object.keys(tombstone).sort()).toEqual(
        ['active', 'appliedRev', 'at', 'event', 'ext', 'occ', 'occns', 'rev', 'seq'].sort(),
      );
      expect(tombstone).toMatchObject({ active: '0', occ: '2000', rev: '2', appliedRev: '2' });
      expect(await redis.exists(keys.target('HR-L'))).toBe(0);
      expect(await store.get('HR-L')).toBeUndefined();
      expect(await store.requestResync('HR-L')).toBe(false);

      // An old event replayed after the idempotency window cannot bring the leaver back.
      const replay = event('c-again', 'HR-L', 'user.created', 1000, { workEmail: 'l@example.com' });
      expect(await store.ingest([replay])).toMatchObject([{ status: 'stale' }]);
      expect(await store.get('HR-L')).toBeUndefined();
      // A newer reactivation with the full record brings them back.
      const back = event('r', 'HR-L', 'user.reactivated', 3000, {
        workEmail: 'l@example.com',
        title: 'Lead',
      });
      expect(await store.ingest([back])).toMatchObject([{ status: 'applied', rev: 3 }]);
      expect(await store.get('HR-L')).toMatchObject({ active: true, rev: 3, data: { title: 'Lead' } });
    },
  );

  redisTest(
    'someone reactivated before the retention ran out keeps their state',
    async ({ redis, prefix }) => {
      const store = new PersonStore({ redis, keys: createKeys(prefix), retentionMs: 1000 });
      await store.ingest([event('c', 'HR-K', 'user.created', 1000, { title: 'Agent' })]);
      await store.ingest([event('d', 'HR-K', 'user.deactivated', 2000)]);
      const first = await store.claim('HR-K');
      if (!first) throw new Error('no claim');
      await store.complete(first.lock, 2, { now: 0 });
      await store.ingest([event('r', 'HR-K', 'user.reactivated', 3000)]);
      const second = await store.claim('HR-K');
      if (!second) throw new Error('no claim');
      await store.complete(second.lock, 3, { now: 500 });
      expect(await store.retireDue(10, 5000)).toEqual([]);
      expect(await store.get('HR-K')).toMatchObject({ active: true, data: { title: 'Agent' } });
    },
  );
});
