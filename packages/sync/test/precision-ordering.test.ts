import { type HrEvent, hrEventSchema } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import { toIncomingEvent } from '../src/incoming-event.js';
import { type EngineHarness, hr, startEngineHarness } from './engine-harness.js';

/**
 * Issue 21, "ordering at full precision", end to end: events parsed by the webhook schema and handed to the person
 * store as the ingest API hands them (`toIncomingEvent`), then synced to the simulator.
 */

let delivered = 0;

async function ingestAsTheApi(h: EngineHarness, bodies: unknown[]) {
  const events: HrEvent[] = bodies.map((body) => hrEventSchema.parse(body));
  const now = Date.now();
  return h.engine.people.ingest(
    events.map((e) => toIncomingEvent(e, `precision-${++delivered}`, now)),
    now,
  );
}

describe('occurredAt is compared at the precision it was sent', () => {
  redisTest(
    'a .123456Z event arriving after a .123789Z one (same millisecond) changes nothing',
    async ({ redisUrl, prefix }) => {
      const h = await startEngineHarness({ redisUrl, prefix });
      try {
        const newer = await ingestAsTheApi(h, [
          {
            event: 'user.created',
            occurredAt: '2026-11-28T09:30:00.123789Z',
            data: hr('HR-P', { title: 'Newer' }),
          },
        ]);
        expect(newer).toEqual([expect.objectContaining({ status: 'applied' })]);
        // The same millisecond, 333 µs earlier, written with a basic offset: older, so stale.
        const older = await ingestAsTheApi(h, [
          {
            event: 'user.updated',
            occurredAt: '2026-11-28T11:30:00.123456+0200',
            data: hr('HR-P', { title: 'Older' }),
          },
        ]);
        expect(older).toEqual([{ status: 'stale', externalId: 'HR-P' }]);
        expect((await h.engine.people.get('HR-P'))?.data.title).toBe('Newer');
        await h.sync(['HR-P']);
        expect((await h.sim.admin.getUserByExternalId('HR-P'))?.user?.title).toBe('Newer');
      } finally {
        await h.close();
      }
    },
  );
});
