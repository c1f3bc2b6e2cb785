import { type HrEvent, hrEventSchema, parseIsoInstant } from '@dirsync/contracts';
import { redisTest } from '@dirsync/testing';
import { describe, expect } from 'vitest';
import type { IncomingEvent } from '../src/person-state.js';
import { type EngineHarness, hr, startEngineHarness } from './engine-harness.js';

/**
 * Issue 21, "ordering at full precision", end to end: events parsed as the API parses them, ingested and synced.
 * Needs the person store to compare `occurredAt` at full precision (issue 14's INGEST change); it fails where
 * the store still compares milliseconds. (After that merge, `toIncomingEvent` from `@dirsync/sync` does what
 * `ingestAsTheApi` spells out here.)
 */

/** Nanoseconds below the millisecond, as the API hands them to the person store (`occurredAtNs`). */
function nanosOfMs(occurredAt: string | undefined): number {
  if (!occurredAt) return 0;
  const read = parseIsoInstant(occurredAt);
  return read.ok ? read.instant.nanosOfMs : 0;
}

let delivered = 0;

/** Ingests events the way the ingest API does: parsed by the webhook schema, handed over with their instant. */
async function ingestAsTheApi(h: EngineHarness, bodies: unknown[]) {
  const events: HrEvent[] = bodies.map((body) => hrEventSchema.parse(body));
  const now = Date.now();
  const incoming = events.map(
    (e) =>
      ({
        idempotencyKey: e.id ?? `precision-${++delivered}`,
        type: e.event,
        occurredAtMs: e.occurredAtMs ?? now,
        occurredAtNs: nanosOfMs(e.occurredAt),
        data: e.data,
      }) as IncomingEvent,
  );
  return h.engine.people.ingest(incoming, now);
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
